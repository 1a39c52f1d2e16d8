package io.kmemsim.slub;

import io.kmemsim.api.plugin.ObjectCacheProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.ObjectCache;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The {@code slub} object-cache provider: SLUB with kmalloc for kernels 5.10, 6.1, 6.6, 6.12 and 6.18
 * (include/linux/slab.h: __kmalloc_index() (6.1); mm/slub.c: kmem_cache_open(), alloc_slab_page() (6.1); mm/slab_common.c: cache_show() (6.1)). Needs the run's page allocator.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class SlubProvider implements ObjectCacheProvider<SlubOptions> {

    /** The kernel series this provider models. */
    public static final String[] KERNELS = {"5.10", "6.1", "6.6", "6.12", "6.18"};

    @Override
    public String id() {
        return "slub";
    }

    @Override
    public String description() {
        return "SLUB object caches and kmalloc (cpu slabs, cpu and node partial lists, merging) over the page allocator";
    }

    @Override
    public Class<SlubOptions> optionsType() {
        return SlubOptions.class;
    }

    /**
     * @throws IllegalArgumentException for an unsupported kernel or an option out of range, naming it
     */
    @Override
    public ObjectCache create(SlubOptions options, ProviderContext context) {
        Objects.requireNonNull(options, "options");
        context.kernel().requireOneOf("slub", KERNELS);
        KmallocClasses.Arch.parse(Objects.requireNonNull(options.arch(), "arch"));
        int buddyMax = context.pageAllocator().maxOrder();
        check("min-order", options.minOrder(), 0, buddyMax);
        check("max-order", options.maxOrder(), 0, buddyMax);
        check("min-objects", options.minObjects(), 0, 32767);
        if (options.cacheLineSize() < 8 || options.cacheLineSize() > 256 || Integer.bitCount(options.cacheLineSize()) != 1) {
            throw new IllegalArgumentException("slub option cache-line-size must be a power of two in [8, 256]: "
                    + options.cacheLineSize());
        }
        if (context.cpus() < 1) {
            throw new IllegalArgumentException("slub needs at least one cpu: " + context.cpus());
        }
        return new SlubObjectCache(context, options);
    }

    private static void check(String name, int value, int lo, int hi) {
        if (value < lo || value > hi) {
            throw new IllegalArgumentException("slub option " + name + " must be in [" + lo + ", " + hi + "]: " + value);
        }
    }
}
