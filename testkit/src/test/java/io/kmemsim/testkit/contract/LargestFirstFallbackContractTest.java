package io.kmemsim.testkit.contract;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;

class LargestFirstFallbackContractTest extends FallbackPolicyContract {

    @Override
    protected FallbackPolicy createPolicy(ProviderContext context) {
        return new LargestFirstFallbackPolicy();
    }
}
