package io.kmemsim.archfixture.libplugin;

import io.kmemsim.api.kernel.MigrateType;
import org.assertj.core.util.Lists;

/** A plugin class that uses the api and a bundled library: allowed. */
final class UsesALibrary {
    Object types() {
        return Lists.list(MigrateType.MOVABLE);
    }
}
