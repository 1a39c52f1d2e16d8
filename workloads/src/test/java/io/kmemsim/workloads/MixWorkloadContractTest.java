package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.testkit.contract.WorkloadContract;

/**
 * testkit's workload contract on the defaults, shortened to 20000 events (16 MiB test board), with arch
 * events off: the kit knows only allocation, free and tick events (ArchEventsTest checks arch events,
 * ArchFilteredWorkloadContractTest the rest of the stream with them on).
 */
class MixWorkloadContractTest extends WorkloadContract {

    @Override
    protected Workload createWorkload(ProviderContext context) {
        return new MixProvider().create(Options.noArch(Options.with(new MixOptions(), "events", 20_000L)), context);
    }
}
