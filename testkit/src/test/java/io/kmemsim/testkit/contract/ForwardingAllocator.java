package io.kmemsim.testkit.contract;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import java.util.List;

/** Forwards every call to another allocator; the kit's self-tests override one method to break it. */
class ForwardingAllocator implements PageAllocator {

    private final PageAllocator delegate;

    ForwardingAllocator(PageAllocator delegate) {
        this.delegate = delegate;
    }

    @Override
    public long allocate(int order, int gfp, int cpu) {
        return delegate.allocate(order, gfp, cpu);
    }

    @Override
    public void free(long pfn, int order, int cpu) {
        delegate.free(pfn, order, cpu);
    }

    @Override
    public int maxOrder() {
        return delegate.maxOrder();
    }

    @Override
    public int pageblockOrder() {
        return delegate.pageblockOrder();
    }

    @Override
    public List<? extends Zone> zones() {
        return delegate.zones();
    }

    @Override
    public void drainPerCpuLists() {
        delegate.drainPerCpuLists();
    }

    @Override
    public void checkInvariants() {
        delegate.checkInvariants();
    }
}
