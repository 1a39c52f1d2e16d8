package io.kmemsim.testkit.support;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.policy.FallbackContext;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A {@link FallbackContext} that forwards every call to another: override one call to break or observe
 * it, e.g. in a mutant test that proves the kit catches a policy that never records its fallbacks.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public class ForwardingFallbackContext implements FallbackContext {

    private final FallbackContext d;

    /** Forwards to {@code delegate}. */
    public ForwardingFallbackContext(FallbackContext delegate) {
        this.d = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public KernelVersion kernel() {
        return d.kernel();
    }

    @Override
    public Zone zone() {
        return d.zone();
    }

    @Override
    public int order() {
        return d.order();
    }

    @Override
    public MigrateType requested() {
        return d.requested();
    }

    @Override
    public boolean noFragment() {
        return d.noFragment();
    }

    @Override
    public boolean kswapdAllowed() {
        return d.kswapdAllowed();
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
    public boolean mobilityGroupingDisabled() {
        return d.mobilityGroupingDisabled();
    }

    @Override
    public long headBlock(int order, MigrateType mt) {
        return d.headBlock(order, mt);
    }

    @Override
    public MigrateType pageblockType(long pfn) {
        return d.pageblockType(pfn);
    }

    @Override
    public boolean pageblockInZone(long pfn) {
        return d.pageblockInZone(pfn);
    }

    @Override
    public int freePagesInPageblock(long pfn) {
        return d.freePagesInPageblock(pfn);
    }

    @Override
    public int movablePagesInPageblock(long pfn) {
        return d.movablePagesInPageblock(pfn);
    }

    @Override
    public long takeBlock(long pfn, int blockOrder, MigrateType remainderType) {
        return d.takeBlock(pfn, blockOrder, remainderType);
    }

    @Override
    public long claimWholeBlock(long pfn, int blockOrder) {
        return d.claimWholeBlock(pfn, blockOrder);
    }

    @Override
    public int moveFreePagesOfPageblock(long pfn, MigrateType to) {
        return d.moveFreePagesOfPageblock(pfn, to);
    }

    @Override
    public void moveBlock(long pfn, int blockOrder, MigrateType to) {
        d.moveBlock(pfn, blockOrder, to);
    }

    @Override
    public void setPageblockType(long pfn, MigrateType mt) {
        d.setPageblockType(pfn, mt);
    }

    @Override
    public long allocateSmallest(MigrateType mt) {
        return d.allocateSmallest(mt);
    }

    @Override
    public void boostWatermark() {
        d.boostWatermark();
    }

    @Override
    public void recordFallback(long pfn, int fallbackOrder, MigrateType fallbackType) {
        d.recordFallback(pfn, fallbackOrder, fallbackType);
    }
}
