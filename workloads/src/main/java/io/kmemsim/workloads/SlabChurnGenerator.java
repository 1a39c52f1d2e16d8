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
}
