package io.kmemsim.testkit.contract;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.support.ReferencePageAllocator;

class ReferencePageAllocatorContractTest extends PageAllocatorContract {

    @Override
    protected PageAllocator createAllocator(ProviderContext context) {
        return new ReferencePageAllocator(context);
    }
}
