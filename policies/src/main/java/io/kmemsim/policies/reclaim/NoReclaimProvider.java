package io.kmemsim.policies.reclaim;

import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.ReclaimPolicyProvider;
import io.kmemsim.api.policy.ReclaimPolicy;

/** The {@code none} reclaim policy: nothing is ever reclaimed (the allocator's slow path without reclaim). */
public final class NoReclaimProvider implements ReclaimPolicyProvider<NoOptions> {

    @Override
    public String id() {
        return "none";
    }

    @Override
    public String description() {
        return "Never reclaim: no kswapd, direct reclaim frees nothing, no OOM killer";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public ReclaimPolicy create(NoOptions options, ProviderContext context) {
        return ReclaimPolicy.NONE;
    }
}
