package io.kmemsim.engine.twin.boot;

import java.nio.file.Path;

/** Where the committed bench bundles are, relative to the module directory. */
final class Bundles {

    static final Path DIR = Path.of("..", "fixtures", "bundles");

    private Bundles() {
    }
}
