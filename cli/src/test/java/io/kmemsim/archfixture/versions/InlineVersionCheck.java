package io.kmemsim.archfixture.versions;

import io.kmemsim.api.kernel.KernelVersion;

/** Breaks the feature-table rule on purpose: it decides a rule by comparing versions. */
public final class InlineVersionCheck {

    private InlineVersionCheck() {
    }

    public static boolean splitsLargeBuddies(KernelVersion kernel) {
        return kernel.atLeast(6, 10);
    }
}
