package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.testkit.contract.WorkloadContract;

/**
 * testkit's workload contract on a mix with high arch-event rates, the arch events filtered out (the kit
 * knows only allocation, free and tick events): the allocations and frees stay a valid stream, failed
 * handles are never freed, and the sequence is deterministic with the arch events interleaved.
 */
class ArchFilteredWorkloadContractTest extends WorkloadContract {

    @Override
    protected Workload createWorkload(ProviderContext context) {
        MixOptions o = Options.with(new MixOptions(), "events", 30_000L, "execFraction", 0.3, "dmaFraction", 0.5,
                "dmaPartialFraction", 0.5);
        return new WithoutArchEvents(new MixProvider().create(o, context));
    }

    /** Passes every event but the arch events through; the number of events is then unknown. */
    private record WithoutArchEvents(Workload inner) implements Workload {

        @Override
        public boolean next(Event into) {
            while (inner.next(into)) {
                EventType t = into.type();
                if (t != EventType.PAGE_FAULT && t != EventType.MUNMAP && t != EventType.EXEC_MAP
                        && t != EventType.DMA_MAP && t != EventType.DMA_UNMAP) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void allocationFailed(long handle) {
            inner.allocationFailed(handle);
        }

        @Override
        public void forEachCounter(CounterVisitor visitor) {
            inner.forEachCounter(visitor);
        }
    }
}
