package io.kmemsim.buddy;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.contract.PageAllocatorContract;

/** The testkit's page-allocator contract run against {@code buddy} (6.1 profile, no fallback policy). */
class BuddyPageAllocatorContractTest extends PageAllocatorContract {

    @Override
    protected PageAllocator createAllocator(ProviderContext context) {
        return new BuddyProvider().create(new BuddyOptions(), context);
    }
}
