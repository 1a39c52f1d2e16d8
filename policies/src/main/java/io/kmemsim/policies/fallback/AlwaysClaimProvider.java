package io.kmemsim.policies.fallback;

import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;

/** The {@code always-claim} fallback policy (docs/policies.md). */
public final class AlwaysClaimProvider implements FallbackPolicyProvider<NoOptions> {

    @Override
    public String id() {
        return "always-claim";
    }

    @Override
    public String description() {
        return "Every fallback claims the whole pageblock (moves its free pages and re-types it), whatever its occupancy";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public FallbackPolicy create(NoOptions options, ProviderContext context) {
        return new AlternativeFallbackPolicy(AlternativeFallbackPolicy.Kind.ALWAYS_CLAIM);
    }
}
