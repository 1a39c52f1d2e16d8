package io.kmemsim.policies.compaction;

import io.kmemsim.api.plugin.CompactionPolicyProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;

/** The kernel's compaction: direct, kcompactd, proactive and compact_memory (reference/page-allocator.md §10). */
public final class LinuxCompactionProvider implements CompactionPolicyProvider<LinuxCompactionOptions> {

    @Override
    public String id() {
        return "linux";
    }

    @Override
    public String description() {
        return "Linux compaction: direct compaction (async, then sync-light), kcompactd, proactive compaction, compact_memory";
    }

    @Override
    public Class<LinuxCompactionOptions> optionsType() {
        return LinuxCompactionOptions.class;
    }

    @Override
    public CompactionPolicy create(LinuxCompactionOptions o, ProviderContext context) {
        if (o.extfragThreshold() < 0 || o.extfragThreshold() > 1000) {
            throw new IllegalArgumentException("linux compaction option extfrag-threshold must be in [0, 1000]: " + o.extfragThreshold());
        }
        if (o.proactiveness() < 0 || o.proactiveness() > 100) {
            throw new IllegalArgumentException("linux compaction option proactiveness must be in [0, 100]: " + o.proactiveness());
        }
        if (o.kcompactdPeriodMs() <= 0) {
            throw new IllegalArgumentException("linux compaction option kcompactd-period-ms must be > 0: " + o.kcompactdPeriodMs());
        }
        return new LinuxCompactionPolicy(o);
    }
}
