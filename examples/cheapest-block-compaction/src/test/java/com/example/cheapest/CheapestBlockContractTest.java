package com.example.cheapest;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.testkit.contract.CompactionPolicyContract;

/** The testkit's compaction-policy kit, for the policy at its defaults. */
class CheapestBlockContractTest extends CompactionPolicyContract {

    @Override
    protected CompactionPolicy createPolicy(ProviderContext context) {
        return new CheapestBlockProvider().create(new CheapestBlockOptions(), context);
    }
}
