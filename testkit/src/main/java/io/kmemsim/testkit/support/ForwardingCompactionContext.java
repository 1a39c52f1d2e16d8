package io.kmemsim.testkit.support;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.CompactionContext;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A {@link CompactionContext} that forwards every call to another: override one call to break or observe
 * it, e.g. in a mutant test that proves the kit catches a policy that leaks isolated memory.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public class ForwardingCompactionContext implements CompactionContext {

    private final CompactionContext d;

    /** Forwards to {@code delegate}. */
    public ForwardingCompactionContext(CompactionContext delegate) {
        this.d = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public KernelVersion kernel() {
        return d.kernel();
    }

    @Override
    public KernelConfig kernelConfig() {
        return d.kernelConfig();
    }

    @Override
    public List<? extends Zone> zones() {
        return d.zones();
    }

    @Override
    public int pageblockOrder() {
        return d.pageblockOrder();
    }

    @Override
    public int maxOrder() {
        return d.maxOrder();
    }

    @Override
    public int pageState(long pfn) {
        return d.pageState(pfn);
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        return d.pageblockType(pfn);
    }

    @Override
    public boolean watermarkOk(Zone zone, int order, long markPages, int highestZoneIndex, boolean allowCma) {
        return d.watermarkOk(zone, order, markPages, highestZoneIndex, allowCma);
    }

    @Override
    public int isolateFreeBlock(long pfn) {
        return d.isolateFreeBlock(pfn);
    }

    @Override
    public void releaseFreeBlock(long pfn, int order) {
        d.releaseFreeBlock(pfn, order);
    }

    @Override
    public boolean migrate(long srcPfn, long dstPfn) {
        return d.migrate(srcPfn, dstPfn);
    }

    @Override
    public void drainPerCpuLists() {
        d.drainPerCpuLists();
    }

    @Override
    public void count(String name, long delta) {
        d.count(name, delta);
    }

    @Override
    public int cpu() {
        return d.cpu();
    }
}
