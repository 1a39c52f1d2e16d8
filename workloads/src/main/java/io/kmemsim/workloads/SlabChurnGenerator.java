package io.kmemsim.workloads;

import io.kmemsim.api.workload.Event;
import java.util.SplittableRandom;

/**
 * kmalloc/kfree and kmem_cache_alloc/free traffic over a few caches created first.
 *
 * <p>Notes: live objects are kept per kind in {@code sets[0]} (kmalloc) and {@code sets[1 + i]}
 * (cache {@code i}). The first events create the caches, in option order. Then each event frees with
 * probability {@code H = sum(live_k / M_k)} (capped at 1) — the victim's kind drawn in proportion to
 * {@code live_k / M_k}, the victim uniformly among that kind's live objects — and otherwise allocates
 * a kind drawn from the allocation weights. Each object is thereby freed with probability
 * {@code 1/M_k} per event: lifetimes are geometric with mean {@code M_k} events per kind.
 */
final class SlabChurnGenerator implements Generator {

    private final SplittableRandom random;
    private final LiveSet[] sets;
    private final double[] freePerObject;
    private final WeightTable allocKinds;
    private final WeightTable kmallocSizes;
    private final long[] cacheHandles;
    private final String[] names;
    private final int[] sizes;
    private final int[] aligns;
    private final long[] flags;
    private final int gfp;
    private final int atomicGfp;
    private final double atomicFraction;
    private final int cpus;
    private int created;
    /** Per kind: the objects in allocation order (least recently used first), for the shrinker; null when not reclaimable. */
    private final long[][] lru;
    private final int[] lruHead;
    private final int[] lruSize;
    private long shrunk;

    SlabChurnGenerator(SplittableRandom random, LiveSet[] sets, double[] freePerObject, WeightTable allocKinds,
                       WeightTable kmallocSizes, long[] cacheHandles, CacheTable caches, int gfp, int atomicGfp,
                       double atomicFraction, int cpus) {
        this.random = random;
        this.sets = sets;
        this.freePerObject = freePerObject;
        this.allocKinds = allocKinds;
        this.kmallocSizes = kmallocSizes;
        this.cacheHandles = cacheHandles;
        this.names = caches.names();
        this.sizes = caches.sizes();
        this.aligns = caches.aligns();
        this.flags = caches.flags();
        this.gfp = gfp;
        this.atomicGfp = atomicGfp;
        this.atomicFraction = atomicFraction;
        this.cpus = cpus;
        this.lru = new long[sets.length][];
        this.lruHead = new int[sets.length];
        this.lruSize = new int[sets.length];
        for (int k = 1; k < sets.length; k++) {
            if ((flags[k - 1] & SlabFlags.RECLAIM_ACCOUNT) != 0) {
                lru[k] = new long[64];
            }
        }
    }

    /** The validated caches, as parallel arrays. */
    record CacheTable(String[] names, int[] sizes, int[] aligns, long[] flags) {
    }

    @Override
    public void emit(Event into) {
        if (created < cacheHandles.length) {
            into.cacheCreate(cacheHandles[created], names[created], sizes[created], aligns[created], flags[created]);
            created++;
            return;
        }
        double hazard = 0;
        for (int k = 0; k < sets.length; k++) {
            hazard += sets[k].size() * freePerObject[k];
        }
        if (hazard > 0 && random.nextDouble() < hazard) {
            free(into, pickVictimKind(hazard));
            return;
        }
        int kind = allocKinds.sample(random);
        if (sets[kind].isFull()) {
            free(into, kind);
        } else {
            allocate(into, kind);
        }
    }

    private int pickVictimKind(double hazard) {
        double u = random.nextDouble() * hazard;
        int last = 0;
        for (int k = 0; k < sets.length; k++) {
            double h = sets[k].size() * freePerObject[k];
            if (h > 0) {
                last = k;
                if (u < h) {
                    return k;
                }
                u -= h;
            }
        }
        return last;
    }

    private void allocate(Event into, int kind) {
        int cpu = random.nextInt(cpus);
        int g = atomicFraction > 0 && random.nextDouble() < atomicFraction ? atomicGfp : gfp;
        long handle = sets[kind].add(0, cpu);
        if (lru[kind] != null) {
            lruPush(kind, handle);
        }
        if (kind == 0) {
            into.kmalloc(handle, kmallocSizes.sample(random), g, cpu);
        } else {
            into.cacheAlloc(cacheHandles[kind - 1], handle, g, cpu);
        }
    }

    private void free(Event into, int kind) {
        LiveSet set = sets[kind];
        int pos = set.randomPosition(random);
        long handle = set.handleAt(pos);
        int cpu = set.cpuAt(pos);
        set.removeAt(pos);
        if (kind == 0) {
            into.kfree(handle, cpu);
        } else {
            into.cacheFree(cacheHandles[kind - 1], handle, cpu);
        }
    }

    private void lruPush(int k, long handle) {
        long[] q = lru[k];
        if (lruSize[k] == q.length) {
            compact(k);
            q = lru[k];
            if (lruSize[k] * 2 > q.length) {
                long[] bigger = new long[q.length * 2];
                for (int i = 0; i < lruSize[k]; i++) {
                    bigger[i] = q[(lruHead[k] + i) % q.length];
                }
                lru[k] = bigger;
                lruHead[k] = 0;
                q = bigger;
            }
        }
        q[(lruHead[k] + lruSize[k]) % q.length] = handle;
        lruSize[k]++;
    }

    /** Drops the entries of objects the workload freed itself (their LiveSet slot is gone or reused). */
    private void compact(int k) {
        long[] q = lru[k];
        int n = 0;
        for (int i = 0; i < lruSize[k]; i++) {
            long h = q[(lruHead[k] + i) % q.length];
            if (sets[k].isLive(h)) {
                q[(lruHead[k] + n) % q.length] = h;
                n++;
            }
        }
        lruSize[k] = n;
    }

    /**
     * The superblock shrinker over the reclaimable caches ({@code SLAB_RECLAIM_ACCOUNT}: dentry, inode),
     * 6.1 fs/super.c {@code super_cache_count}/{@code super_cache_scan}: counts the objects on the LRUs
     * (every live object counts as unused: the workload keeps no references), and a scan proportions
     * {@code nr_to_scan} between the caches ({@code mult_frac(nr_to_scan, count, total + 1) + 1} each,
     * dentries first as {@code prune_dcache_sb} runs before {@code prune_icache_sb}), freeing the least
     * recently allocated objects through the object cache; without {@code __GFP_FS} it stops
     * ({@code SHRINK_STOP}). {@code vfs_cache_pressure} is the default 100.
     */
    @Override
    public java.util.List<io.kmemsim.api.reclaim.Shrinker> shrinkers(io.kmemsim.api.reclaim.CacheObjects objects) {
        boolean any = false;
        for (long[] q : lru) {
            any |= q != null;
        }
        if (!any) {
            return java.util.List.of();
        }
        return java.util.List.of(new io.kmemsim.api.reclaim.Shrinker() {
            @Override
            public String name() {
                return "super_cache";
            }

            @Override
            public long countObjects() {
                long total = 0;
                for (int k = 0; k < lru.length; k++) {
                    total += lru[k] != null ? sets[k].size() : 0;
                }
                return total == 0 ? SHRINK_EMPTY : total;
            }

            @Override
            public long scanObjects(long nrToScan, int gfp) {
                if ((gfp & io.kmemsim.api.kernel.Gfp.FS) == 0) {
                    return SHRINK_STOP;
                }
                long total = 1;
                for (int k = 0; k < lru.length; k++) {
                    total += lru[k] != null ? sets[k].size() : 0;
                }
                long freed = 0;
                for (int k = 0; k < lru.length; k++) {
                    if (lru[k] != null) {
                        freed += prune(k, multFrac(nrToScan, sets[k].size(), total) + 1, objects);
                    }
                }
                return freed;
            }
        });
    }

    /** {@code mult_frac(x, n, d)} (include/linux/math.h): {@code x * n / d} without overflow, rounding down. */
    static long multFrac(long x, long n, long d) {
        return (x / d) * n + ((x % d) * n) / d;
    }

    /** Frees up to {@code n} of kind {@code k}'s least recently allocated live objects. */
    private long prune(int k, long n, io.kmemsim.api.reclaim.CacheObjects objects) {
        long freed = 0;
        long[] q = lru[k];
        while (n > 0 && lruSize[k] > 0) {
            long h = q[lruHead[k]];
            lruHead[k] = (lruHead[k] + 1) % q.length;
            lruSize[k]--;
            if (!sets[k].isLive(h)) {
                continue;
            }
            n--;
            sets[k].remove(h);
            if (objects.free(cacheHandles[k - 1], h)) {
                freed++;
            }
        }
        shrunk += freed;
        return freed;
    }

    @Override
    public void forEachCounter(io.kmemsim.api.stats.CounterVisitor v) {
        if (shrunk > 0) {
            v.counter("workload.shrinker_freed_objects", shrunk);
        }
    }
}
