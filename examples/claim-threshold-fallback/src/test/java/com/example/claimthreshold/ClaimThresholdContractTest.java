package com.example.claimthreshold;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.testkit.contract.FallbackPolicyContract;

/** The testkit's fallback-policy kit, for the policy at its defaults (the kernel's half-pageblock rule). */
class ClaimThresholdContractTest extends FallbackPolicyContract {

    @Override
    protected FallbackPolicy createPolicy(ProviderContext context) {
        return new ClaimThresholdProvider().create(new ClaimThresholdOptions(), context);
    }

}
