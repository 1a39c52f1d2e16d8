package io.kmemsim.policies.reclaim;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.ReclaimPolicyProvider;
import io.kmemsim.api.policy.ReclaimPolicy;

/** The {@code contiguity} reclaim policy: Linux reclaim that prefers folios whose pageblock is nearly free. */
public final class ContiguityReclaimProvider implements ReclaimPolicyProvider<LinuxReclaimOptions> {

    @Override
    public String id() {
        return "contiguity";
    }

    @Override
    public String description() {
        return "Linux reclaim that isolates, from a window at the LRU tail, the folios whose pageblocks are most free first";
    }

    @Override
    public Class<LinuxReclaimOptions> optionsType() {
        return LinuxReclaimOptions.class;
    }

    @Override
    public ReclaimPolicy create(LinuxReclaimOptions options, ProviderContext context) {
        return new ContiguityReclaimPolicy(options.validated());
    }
}
