package io.kmemsim.slub;

import io.kmemsim.api.plugin.Doc;
import org.apiguardian.api.API;

/**
 * Options of the {@code slub} provider (scenario keys are these names in kebab case, e.g.
 * {@code randomize-freelist}). The no-argument constructor gives the defaults: an arm64 distribution
 * kernel with merging, cpu partial lists and memcg kmem accounting on, freelist randomization and
 * hardening off (so freelists are ascending and easy to read), the kernel's default orders.
 *
 * @param arch              {@code arm64} (default) or {@code x86_64}
 * @param randomizeFreelist CONFIG_SLAB_FREELIST_RANDOM (default false)
 * @param hardenedFreelist  CONFIG_SLAB_FREELIST_HARDENED (default false)
 * @param cpuPartial        CONFIG_SLUB_CPU_PARTIAL (default true)
 * @param merge             slab merging; false = {@code slab_nomerge} (default true)
 * @param memcgKmem         memcg kmem accounting (default true)
 * @param minOrder          {@code slub_min_order} (default 0)
 * @param maxOrder          {@code slub_max_order} (default 3); a {@code minOrder} above it raises it, as
 *                          {@code slub_min_order=} given after {@code slub_max_order=} does (mm/slub.c: calculate_order(), calc_slab_order() (6.1))
 * @param minObjects        {@code slub_min_objects}; 0 = automatic (default 0)
 * @param kmallocMinalign   arm64 6.5+ boot-time kmalloc minimum alignment (default 8)
 * @param cacheLineSize     {@code cache_line_size()} (default 64)
 * @param slubDebug         the {@code slub_debug} boot parameter's value in the kernel's syntax (
 *                          mm/slub.c: setup_slub_debug(), parse_slub_debug_flags() (6.1)), e.g. {@code "FZPU"}, {@code "FZ,kmalloc-64"}, {@code "U,dentry;Z,kmalloc-*"};
 *                          null (default) = not given, no debugging; {@code ""} = given without a value,
 *                          {@code FZPU} for every cache
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record SlubOptions(
        @Doc("architecture for the kmalloc minimum alignment and the linear map: arm64 or x86_64") String arch,
        @Doc("CONFIG_SLAB_FREELIST_RANDOM: each new slab's freelist follows the cache's shuffled order from a random start (scenario seed)") boolean randomizeFreelist,
        @Doc("CONFIG_SLAB_FREELIST_HARDENED: free pointers would be stored XORed with a per-cache key and the byte-swapped slot address") boolean hardenedFreelist,
        @Doc("CONFIG_SLUB_CPU_PARTIAL: per-CPU lists of partial slabs") boolean cpuPartial,
        @Doc("merge compatible caches into aliases; false is the slab_nomerge boot option") boolean merge,
        @Doc("memcg kmem accounting on: kmalloc-cg-* caches exist (5.14+) and __GFP_ACCOUNT selects them") boolean memcgKmem,
        @Doc("slub_min_order= boot option (pages order)") int minOrder,
        @Doc("slub_max_order= boot option (pages order)") int maxOrder,
        @Doc("slub_min_objects= boot option; 0 means 4 x (fls(cpus) + 1)") int minObjects,
        @Doc("arm64 6.5+ boot-time kmalloc minimum alignment in bytes: 8 with a swiotlb bounce buffer, else the cache line (64 or 128)") int kmallocMinalign,
        @Doc("cache_line_size() in bytes, used by SLAB_HWCACHE_ALIGN") int cacheLineSize,
        @Doc("slub_debug= boot parameter in the kernel's syntax (e.g. FZPU, FZ,kmalloc-64, U,dentry;Z,kmalloc-*); unset = off, empty = FZPU for all caches") String slubDebug) {

    /** The defaults (see the class comment). */
    public SlubOptions() {
        this("arm64", false, false, true, true, true, 0, 3, 0, 8, 64, null);
    }

    /** These options without {@code slub_debug}. */
    public SlubOptions(String arch, boolean randomizeFreelist, boolean hardenedFreelist, boolean cpuPartial,
                       boolean merge, boolean memcgKmem, int minOrder, int maxOrder, int minObjects,
                       int kmallocMinalign, int cacheLineSize) {
        this(arch, randomizeFreelist, hardenedFreelist, cpuPartial, merge, memcgKmem, minOrder, maxOrder, minObjects,
                kmallocMinalign, cacheLineSize, null);
    }

    /** These options with {@code slub_debug=value} (null: not given). */
    public SlubOptions withSlubDebug(String value) {
        return new SlubOptions(arch, randomizeFreelist, hardenedFreelist, cpuPartial, merge, memcgKmem, minOrder,
                maxOrder, minObjects, kmallocMinalign, cacheLineSize, value);
    }

    /** These options with freelist randomization on or off. */
    public SlubOptions withRandomizeFreelist(boolean on) {
        return new SlubOptions(arch, on, hardenedFreelist, cpuPartial, merge, memcgKmem, minOrder, maxOrder, minObjects,
                kmallocMinalign, cacheLineSize, slubDebug);
    }

    /** These options for another architecture. */
    public SlubOptions withArch(String a) {
        return new SlubOptions(a, randomizeFreelist, hardenedFreelist, cpuPartial, merge, memcgKmem, minOrder, maxOrder,
                minObjects, kmallocMinalign, cacheLineSize, slubDebug);
    }
}
