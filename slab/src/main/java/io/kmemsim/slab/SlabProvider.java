package io.kmemsim.slab;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.plugin.ObjectCacheProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.ObjectCache;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The {@code slab} object-cache provider: the SLAB allocator with kmalloc for kernels 5.10 and 6.1
 * (include/linux/slab.h: __kmalloc_index() (6.1); mm/slab_common.c: kmem_cache_create_usercopy(), cache_show() (6.1); mm/slab.c: __kmem_cache_create() (6.1); mm/slub.c: alloc_slab_page() (6.1)). Needs the run's page allocator.
 *
 * <p>Kernels from 6.8 are refused: SLAB was removed there (deprecated in 6.5) and SLUB is the only slab
 * allocator. 6.2 – 6.7 still had SLAB, but the reference describes SLAB as in 6.1 only, so they are
 * refused rather than guessed.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class SlabProvider implements ObjectCacheProvider<SlabOptions> {

    /** The kernel series this provider models. */
    public static final String[] KERNELS = {"5.10", "6.1"};

    @Override
    public String id() {
        return "slab";
    }

    @Override
    public String description() {
        return "SLAB object caches and kmalloc (per-CPU array caches, shared arrays, colouring, reaping) over the page allocator";
    }

    @Override
    public Class<SlabOptions> optionsType() {
        return SlabOptions.class;
    }

    /**
     * @throws IllegalArgumentException for an unsupported kernel or an option out of range, naming it
     */
    @Override
    public ObjectCache create(SlabOptions options, ProviderContext context) {
        Objects.requireNonNull(options, "options");
        checkKernel(context.kernel());
        KmallocClasses.Arch.parse(Objects.requireNonNull(options.arch(), "arch"));
        int buddyMax = context.pageAllocator().maxOrder();
        if (options.slabMaxOrder() < 0 || options.slabMaxOrder() > buddyMax) {
            throw new IllegalArgumentException("slab option slab-max-order must be in [0, " + buddyMax + "]: "
                    + options.slabMaxOrder());
        }
        if (options.cacheLineSize() < 8 || options.cacheLineSize() > 256 || Integer.bitCount(options.cacheLineSize()) != 1) {
            throw new IllegalArgumentException("slab option cache-line-size must be a power of two in [8, 256]: "
                    + options.cacheLineSize());
        }
        if (context.cpus() < 1) {
            throw new IllegalArgumentException("slab needs at least one cpu: " + context.cpus());
        }
        return new SlabObjectCache(context, options);
    }

    /** Refuses kernels without SLAB (6.8+) with the reason, and the ones the reference does not describe. */
    static void checkKernel(KernelVersion kernel) {
        if (kernel.has(Feature.SLAB_ALLOCATOR_REMOVED)) {
            throw new IllegalArgumentException("slab: SLAB was removed in Linux 6.8 (deprecated since 6.5); kernel "
                    + kernel + " has only SLUB, use the slub provider");
        }
        kernel.requireOneOf("slab", KERNELS);
    }
}
