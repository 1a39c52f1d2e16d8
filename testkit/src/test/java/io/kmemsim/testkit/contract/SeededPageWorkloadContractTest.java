package io.kmemsim.testkit.contract;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.workload.Workload;

class SeededPageWorkloadContractTest extends WorkloadContract {

    @Override
    protected Workload createWorkload(ProviderContext context) {
        return new SeededPageWorkload(context.seed(), 3000, context.cpus());
    }
}
