package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.testkit.contract.WorkloadContract;

/** testkit's workload contract on the defaults, shortened to 20000 events (16 MiB test board). */
class MixWorkloadContractTest extends WorkloadContract {

    @Override
    protected Workload createWorkload(ProviderContext context) {
        return new MixProvider().create(Options.with(new MixOptions(), "events", 20_000L), context);
    }
}
