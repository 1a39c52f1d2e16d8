package com.example.claimthreshold;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.testkit.contract.FallbackPolicyContract;

/** The kit again with claims at any share (threshold 0, smallest block first): the claim path runs on every drawn zone. */
class ClaimAnyShareContractTest extends FallbackPolicyContract {

    @Override
    protected FallbackPolicy createPolicy(ProviderContext context) {
        return new ClaimThresholdProvider().create(new ClaimThresholdOptions(0.0, 0, "smallest-first"), context);
    }
}
