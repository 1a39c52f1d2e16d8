package com.example.cheapest;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.testkit.contract.CompactionPolicyContract;

/** The kit again from order 1 with a budget of 8 pages: most attempts stop at the budget. */
class SmallBudgetContractTest extends CompactionPolicyContract {

    @Override
    protected CompactionPolicy createPolicy(ProviderContext context) {
        return new CheapestBlockProvider().create(new CheapestBlockOptions(1, 8), context);
    }
}
