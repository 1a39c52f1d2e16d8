package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.testkit.contract.WorkloadContract;

/** testkit's workload contract on the page-cache workload, shrunk to fit the 16 MiB test board's scale. */
class PageCacheWorkloadContractTest extends WorkloadContract {

    @Override
    protected Workload createWorkload(ProviderContext context) {
        return new PageCacheProvider().create(new PageCacheOptions(20_000, 1000, 1000, 2, 4, 0.3, 1, 0.3, 5000, 2, 1, 3000, 0.3),
                context);
    }
}
