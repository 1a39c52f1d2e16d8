package io.kmemsim.policies.fallback;

import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;

/** The {@code no-fallback} fallback policy (docs/policies.md). */
public final class NoFallbackProvider implements FallbackPolicyProvider<NoOptions> {

    @Override
    public String id() {
        return "no-fallback";
    }

    @Override
    public String description() {
        return "Fail instead of fragmenting: only whole free pageblocks may change type; smaller requests are left to compaction (cf. vm.defrag_mode, 6.15)";
    }

    @Override
    public Class<NoOptions> optionsType() {
        return NoOptions.class;
    }

    @Override
    public FallbackPolicy create(NoOptions options, ProviderContext context) {
        return new AlternativeFallbackPolicy(AlternativeFallbackPolicy.Kind.NO_FALLBACK);
    }
}
