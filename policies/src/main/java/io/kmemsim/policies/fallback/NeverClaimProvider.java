package io.kmemsim.policies.fallback;

import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;

/** The {@code never-claim} fallback policy (docs/policies.md). */
public final class NeverClaimProvider implements FallbackPolicyProvider<NoOptions> {

    @Override
    public String id() {
        return "never-claim";
    }

    @Override
    public String description() {
        return "Every fallback takes only the block it needs (smallest first) and never re-types a pageblock";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public FallbackPolicy create(NoOptions options, ProviderContext context) {
        return new AlternativeFallbackPolicy(AlternativeFallbackPolicy.Kind.NEVER_CLAIM);
    }
}
