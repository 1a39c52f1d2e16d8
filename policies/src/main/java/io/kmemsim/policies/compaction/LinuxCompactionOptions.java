package io.kmemsim.policies.compaction;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.Positive;
import io.kmemsim.api.plugin.Range;

/**
 * Options of the {@code linux} compaction policy: the kernel's sysctls and the kcompactd period.
 *
 * @param extfragThreshold    {@code vm.extfrag_threshold} (0..1000)
 * @param proactiveness       {@code vm.compaction_proactiveness} (0..100; 0 disables proactive compaction)
 * @param kcompactdPeriodMs   {@code HPAGE_FRAG_CHECK_INTERVAL_MSEC}: how often kcompactd wakes on its own
 */
public record LinuxCompactionOptions(
        @Doc("vm.extfrag_threshold: costly-order compaction is skipped when the fragmentation index is in [0, this]")
        @Range(min = 0, max = 1000) int extfragThreshold,
        @Doc("vm.compaction_proactiveness; 0 disables proactive compaction")
        @Range(min = 0, max = 100) int proactiveness,
        @Doc("kcompactd's wakeup period in simulated milliseconds")
        @Positive long kcompactdPeriodMs) {

    /** The kernel's defaults: 500, 20, 500 ms. */
    public LinuxCompactionOptions() {
        this(500, 20, 500);
    }
}
