package io.kmemsim.policies.fallback;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.OneOf;

/**
 * Options of the {@code linux} fallback policy.
 *
 * @param era which kernel algorithm to run: {@code auto} (the scenario kernel's), {@code steal-and-move}
 *            (5.10–6.8), {@code strict-freelists} (6.10–6.14) or {@code claim-then-steal} (6.15+)
 */
public record LinuxFallbackOptions(
        @Doc("algorithm family: auto (the scenario kernel's), steal-and-move (5.10-6.8), strict-freelists (6.10-6.14), claim-then-steal (6.15+)")
        @OneOf({"auto", "steal-and-move", "strict-freelists", "claim-then-steal"}) String era) {

    /** Defaults: the scenario kernel's algorithm. */
    public LinuxFallbackOptions() {
        this("auto");
    }
}
