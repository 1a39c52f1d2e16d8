package io.kmemsim.policies.reclaim;

import io.kmemsim.api.plugin.Doc;

/**
 * Options of the {@code linux} and {@code contiguity} reclaim policies.
 *
 * @param lowWmarkQuickMs the short sleep of {@code kswapd_try_to_sleep} ({@code HZ/10}): a wakeup within
 *                        it counts {@code kswapd_low_wmark_hit_quickly}
 */
public record LinuxReclaimOptions(
        @Doc("kswapd's short sleep in simulated milliseconds (kernel: HZ/10 = 100); a wakeup within it counts kswapd_low_wmark_hit_quickly")
        long lowWmarkQuickMs) {

    /** The kernel's default: 100 ms. */
    public LinuxReclaimOptions() {
        this(100);
    }

    /** Checks the ranges; throws naming the option and the value. */
    LinuxReclaimOptions validated() {
        if (lowWmarkQuickMs < 0) {
            throw new IllegalArgumentException("lowWmarkQuickMs must be >= 0: " + lowWmarkQuickMs);
        }
        return this;
    }
}
