package io.kmemsim.workloads;

import io.kmemsim.api.plugin.Doc;
import java.util.List;

/**
 * Options of the {@code slab-churn} workload (docs/workloads.md). The default size histogram and
 * cache sizes are illustrative, not measured.
 *
 * @param events              events in the stream, ticks included
 * @param tickEvery           every this many events one is a TICK
 * @param nsPerEvent          simulated nanoseconds per event
 * @param kmallocSizes        kmalloc request sizes as {@code bytes:weight,…}
 * @param kmallocShare        share of allocations that are kmalloc (the rest go to the caches)
 * @param kmallocMeanLifetime mean kmalloc object lifetime in events
 * @param atomicFraction      share of allocations made with GFP_ATOMIC
 * @param caches              the caches created at the start
 */
public record SlabChurnOptions(
        @Doc("events in the stream, ticks included (default 2000000)") long events,
        @Doc("every this many events one is a TICK (default 1000, >= 2)") int tickEvery,
        @Doc("simulated nanoseconds per event (default 1000)") long nsPerEvent,
        @Doc("kmalloc request sizes as bytes:weight,... (default: 19 sizes from 8 B to 32 KiB, illustrative; see docs/workloads.md)") String kmallocSizes,
        @Doc("share of allocations that are kmalloc, the rest kmem_cache_alloc by cache weight, in [0, 1] (default 0.6)") double kmallocShare,
        @Doc("mean lifetime of a kmalloc object in events, > 0 (default 20000)") long kmallocMeanLifetime,
        @Doc("share of allocations made with the kernel's GFP_ATOMIC (the rest GFP_KERNEL), in [0, 1] (default 0.05)") double atomicFraction,
        @Doc("caches created at the start: name, size, align, flags, ctor, weight, mean-lifetime (default dentry, inode_cache, filp, task_struct)") List<Cache> caches) {

    /** The defaults. */
    public SlabChurnOptions() {
        this(2_000_000, 1000, 1000, DEFAULT_KMALLOC_SIZES, 0.6, 20_000, 0.05, DEFAULT_CACHES);
    }

    /** Illustrative kmalloc size histogram: small objects dominate; odd sizes exercise rounding to the size classes. */
    static final String DEFAULT_KMALLOC_SIZES = "8:4,16:8,24:4,32:12,40:3,48:4,64:14,72:2,96:8,128:10,160:2,192:8,"
            + "256:8,384:3,512:6,1024:4,2048:2,4096:1,8192:0.5,16384:0.3,32768:0.1";

    /**
     * dentry, inode_cache, filp, task_struct with the flags their 6.1 {@code kmem_cache_create} calls pass;
     * sizes are illustrative of a 64-bit build (dentry's 192 B is by design three 64 B lines).
     */
    static final List<Cache> DEFAULT_CACHES = List.of(
            new Cache("dentry", 192, 8, "RECLAIM_ACCOUNT|PANIC|MEM_SPREAD|ACCOUNT", false, 40, 200_000),
            new Cache("inode_cache", 600, 0, "RECLAIM_ACCOUNT|PANIC|MEM_SPREAD|ACCOUNT", true, 10, 300_000),
            new Cache("filp", 232, 0, "HWCACHE_ALIGN|PANIC|ACCOUNT", false, 45, 20_000),
            new Cache("task_struct", 4416, 64, "PANIC|ACCOUNT", false, 5, 100_000));

    /**
     * A cache the workload creates at its start and allocates from.
     *
     * @param name         the cache name ({@code /proc/slabinfo})
     * @param size         object size in bytes
     * @param align        requested alignment (0 or a power of two)
     * @param flags        {@code SLAB_*} flag names joined by {@code |}
     * @param ctor         the cache has a constructor
     * @param weight       share of cache allocations relative to the other caches
     * @param meanLifetime mean object lifetime in events
     */
    public record Cache(
            @Doc("cache name as /proc/slabinfo prints it") String name,
            @Doc("object size in bytes, > 0") int size,
            @Doc("requested alignment in bytes, 0 or a power of two") int align,
            @Doc("SLAB_* flags joined by |, e.g. RECLAIM_ACCOUNT|PANIC (6.1 bit values)") String flags,
            @Doc("the cache has a constructor") boolean ctor,
            @Doc("share of cache allocations, relative to the other caches, >= 0") double weight,
            @Doc("mean object lifetime in events, > 0") long meanLifetime) {
    }
}
