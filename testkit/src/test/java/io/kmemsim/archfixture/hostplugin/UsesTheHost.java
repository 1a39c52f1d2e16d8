package io.kmemsim.archfixture.hostplugin;

import io.kmemsim.testkit.support.TestPlatforms;

/** A plugin class that reaches into kmemsim outside the api: forbidden. */
final class UsesTheHost {
    Object platform() {
        return TestPlatforms.oneZone();
    }
}
