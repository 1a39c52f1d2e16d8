package io.kmemsim.testkit.contract;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;

class NoCompactionContractTest extends CompactionPolicyContract {

    @Override
    protected CompactionPolicy createPolicy(ProviderContext context) {
        return CompactionPolicy.NONE;
    }
}
