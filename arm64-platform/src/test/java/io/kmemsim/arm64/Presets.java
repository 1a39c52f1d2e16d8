package io.kmemsim.arm64;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.testkit.support.TestProviderContext;

/** Creates platforms for tests from a provider, options and a kernel version. */
final class Presets {

    private Presets() {
    }

    static Rock5bPlusProvider rock(int gib) {
        return switch (gib) {
            case 4 -> new Rock5bPlus4gProvider();
            case 8 -> new Rock5bPlus8gProvider();
            case 16 -> new Rock5bPlus16gProvider();
            case 24 -> new Rock5bPlus24gProvider();
            case 32 -> new Rock5bPlus32gProvider();
            default -> throw new IllegalArgumentException("no preset for " + gib + " GB");
        };
    }

    static Platform rock(int gib, String firmware, String granule, String cma, String kernel) {
        return rock(gib).create(new Rock5bPlusOptions(firmware, granule, cma), context(kernel));
    }

    static TestProviderContext context(String kernel) {
        return TestProviderContext.builder().kernel(KernelVersion.parse(kernel)).build();
    }
}
