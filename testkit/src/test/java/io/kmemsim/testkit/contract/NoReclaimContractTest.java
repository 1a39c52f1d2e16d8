package io.kmemsim.testkit.contract;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.ReclaimPolicy;

class NoReclaimContractTest extends ReclaimPolicyContract {

    @Override
    protected ReclaimPolicy createPolicy(ProviderContext context) {
        return ReclaimPolicy.NONE;
    }
}
