package io.kmemsim.policies.compaction;

import io.kmemsim.api.plugin.CompactionPolicyProvider;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;

/** The {@code none} compaction policy: never compacts (as a kernel built without CONFIG_COMPACTION). */
public final class NoCompactionProvider implements CompactionPolicyProvider<NoOptions> {

    @Override
    public String id() {
        return "none";
    }

    @Override
    public String description() {
        return "Never compact (like a kernel without CONFIG_COMPACTION)";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public CompactionPolicy create(NoOptions options, ProviderContext context) {
        return CompactionPolicy.NONE;
    }
}
