package io.kmemsim.policies.compaction;

import io.kmemsim.api.plugin.CompactionPolicyProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;

/** The kernel's compaction: direct, kcompactd, proactive and compact_memory (mm/compaction.c: compact_zone() (6.1)). */
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
        // ranges are declared on LinuxCompactionOptions (@Range, @Positive) and checked by the host
        return new LinuxCompactionPolicy(o, context.traceListener());
    }
}
