package io.kmemsim.slab;

import io.kmemsim.api.plugin.Doc;
import org.apiguardian.api.API;

/**
 * Options of the {@code slab} provider (scenario keys are these names in kebab case, e.g.
 * {@code slab-max-order}). The no-argument constructor gives the defaults: an arm64 distribution kernel
 * (CONFIG_NUMA on, memcg kmem accounting on) with merging on, {@code slab_max_order} 1 (the kernel
 * raises the default 0 to 1 when the machine has more than 32 MiB of RAM, which every modelled platform
 * has) and 64-byte cache lines.
 *
 * @param arch          {@code arm64} (default) or {@code x86_64}
 * @param merge         slab merging; false = {@code slab_nomerge} (default true)
 * @param memcgKmem     memcg kmem accounting (default true): kmalloc-cg-* caches (6.1)
 * @param slabMaxOrder  {@code slab_max_order} (default 1)
 * @param numa          CONFIG_NUMA: slab growth asks the page allocator node-exactly, with
 *                      {@code __GFP_THISNODE | __GFP_NOWARN} and without reclaim (default true)
 * @param cacheLineSize {@code cache_line_size()} in bytes (default 64)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record SlabOptions(
        @Doc("architecture for the kmalloc minimum size and the linear map: arm64 or x86_64") String arch,
        @Doc("merge compatible caches into aliases; false is the slab_nomerge boot option") boolean merge,
        @Doc("memcg kmem accounting on: kmalloc-cg-* caches exist (6.1) and __GFP_ACCOUNT selects them") boolean memcgKmem,
        @Doc("slab_max_order= boot option (pages order); the kernel's default is 1 on machines with more than 32 MiB") int slabMaxOrder,
        @Doc("CONFIG_NUMA: new slabs are requested node-exact (__GFP_THISNODE|__GFP_NOWARN, no reclaim)") boolean numa,
        @Doc("cache_line_size() in bytes: SLAB_HWCACHE_ALIGN and the colour step") int cacheLineSize) {

    /** The defaults (see the class comment). */
    public SlabOptions() {
        this("arm64", true, true, 1, true, 64);
    }

    /** These options for another architecture. */
    public SlabOptions withArch(String a) {
        return new SlabOptions(a, merge, memcgKmem, slabMaxOrder, numa, cacheLineSize);
    }
}
