package io.kmemsim.buddy;

import io.kmemsim.api.kernel.Watermarks;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.PageAllocatorProvider;
import io.kmemsim.api.plugin.ProviderContext;

/**
 * The {@code buddy} page allocator: the Linux binary buddy allocator with zones, migrate types,
 * pageblocks, watermarks and per-CPU lists, for kernel profiles 5.10, 6.1, 6.6, 6.12 and 6.18
 * (include/linux/mmzone.h: MAX_ORDER, enum migratetype, enum zone_type (6.1); mm/page_alloc.c: __free_one_page(), __alloc_pages() (6.1)).
 */
public final class BuddyProvider implements PageAllocatorProvider<BuddyOptions> {

    /** The kernel series this allocator models. */
    static final String[] SUPPORTED = {"5.10", "6.1", "6.6", "6.12", "6.18"};

    @Override
    public String id() {
        return "buddy";
    }

    @Override
    public String description() {
        return "Linux binary buddy page allocator (zones, migrate types, watermarks, per-CPU lists), kernels "
                + String.join(", ", SUPPORTED);
    }

    @Override
    public Class<BuddyOptions> optionsType() {
        return BuddyOptions.class;
    }

    @Override
    public PageAllocator create(BuddyOptions options, ProviderContext context) {
        context.kernel().requireOneOf("buddy", SUPPORTED);
        BuddyOptions o = options == null ? new BuddyOptions() : options;
        o.validate(Watermarks.maxScaleFactor(context.kernel()));
        return new BuddyPageAllocator(context, o);
    }
}
