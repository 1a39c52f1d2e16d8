package com.example.claimthreshold;

import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;

/** Registers the {@code claim-threshold} fallback policy (META-INF/services). */
public final class ClaimThresholdProvider implements FallbackPolicyProvider<ClaimThresholdOptions> {

    @Override
    public String id() {
        return "claim-threshold";
    }

    @Override
    public String description() {
        return "Migrate-type fallback that claims a pageblock when a tunable share of it is free or alike (kernel: one half)";
    }

    @Override
    public Class<ClaimThresholdOptions> optionsType() {
        return ClaimThresholdOptions.class;
    }

    @Override
    public FallbackPolicy create(ClaimThresholdOptions options, ProviderContext context) {
        // the ranges are declared on the options record and checked by the host before this call
        return new ClaimThresholdPolicy(options.claimThreshold(), options.minClaimOrder(),
                "smallest-first".equals(options.search()));
    }
}
