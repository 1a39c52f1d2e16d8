package io.kmemsim.slab;

import java.util.Arrays;

/**
 * SLAB's periodic reaping ({@code mm/slab.c: cache_reap()}, 6.1; §6.8) on simulated time: per CPU first at
 * 1 s, then every 2 s ({@code REAPTIMEOUT_AC}; the kernel's rounding to whole seconds and per-CPU skew are
 * not modelled), draining untouched CPU arrays; node-level work per cache every 4 s
 * ({@code REAPTIMEOUT_NODE}), first 4 s after creation plus a stagger of {@code (cache index × 250 ms) mod
 * 4 s} (the kernel staggers by the cache's address): the shared array, then free slabs.
 */
final class SlabReaper {

    /** {@code REAPTIMEOUT_AC}: 2 s. */
    static final long REAP_AC_NANOS = 2_000_000_000L;
    /** {@code REAPTIMEOUT_NODE}: 4 s. */
    static final long REAP_NODE_NANOS = 4_000_000_000L;
    /** The first reap of a CPU: about 1 s after it comes online. */
    static final long FIRST_REAP_NANOS = 1_000_000_000L;

    private final SlabObjectCache a;
    private final int cpus;
    private final long[] nextCpuReap;
    private long now;

    SlabReaper(SlabObjectCache a) {
        this.a = a;
        this.cpus = a.cpus;
        this.nextCpuReap = new long[cpus];
        Arrays.fill(nextCpuReap, FIRST_REAP_NANOS);
    }

    /** The simulated time reached so far. */
    long now() {
        return now;
    }

    /** The first node-level reap of cache {@code index} created now. */
    long firstNodeReap(int index) {
        return now + REAP_NODE_NANOS + (index * 250_000_000L) % REAP_NODE_NANOS;
    }

    /** Runs every reap due up to {@code nowNanos}, in time order. */
    void tick(long nowNanos) {
        while (true) {
            int cpu = 0;
            for (int i = 1; i < cpus; i++) {
                if (nextCpuReap[i] < nextCpuReap[cpu]) {
                    cpu = i;
                }
            }
            if (nextCpuReap[cpu] > nowNanos) {
                break;
            }
            now = Math.max(now, nextCpuReap[cpu]);
            cacheReap(cpu, nextCpuReap[cpu]);
            nextCpuReap[cpu] += REAP_AC_NANOS;
        }
        now = Math.max(now, nowNanos);
    }

    /** {@code cache_reap} on {@code cpu} at time {@code t}, over every cache, newest first. */
    private void cacheReap(int cpu, long t) {
        for (int k = a.caches.size() - 1; k >= 0; k--) {
            SlabCache c = a.caches.get(k);
            if (!c.live) {
                continue;
            }
            if (c.cpuAvail[cpu] > 0) {
                if (c.cpuTouched[cpu]) {
                    c.cpuTouched[cpu] = false;
                } else {
                    c.cpuAvail[cpu] = drainPart(c, c.cpuEntries[cpu], c.cpuAvail[cpu], c.limit, cpu);
                }
            }
            if (c.nextReapNanos > t) {
                continue;
            }
            c.nextReapNanos = t + REAP_NODE_NANOS;
            if (c.sharedAvail > 0) {
                if (c.sharedTouched) {
                    c.sharedTouched = false;
                } else {
                    c.sharedAvail = drainPart(c, c.sharedEntries, c.sharedAvail, c.sharedEntries.length, cpu);
                }
            }
            if (c.freeTouched) {
                c.freeTouched = false;
            } else {
                long tofree = (c.freeLimit + 5L * c.num - 1) / (5L * c.num);
                c.stats[SlabStat.REAPED.ordinal()] += drainFreelist(c, tofree, cpu);
            }
        }
    }

    /**
     * {@code drain_array_locked} without free_all: gives back {@code (limit + 4) / 5} of the oldest
     * entries, or half (rounded up) when fewer are there; returns the new avail.
     */
    private int drainPart(SlabCache c, long[] entries, int avail, int limit, int cpu) {
        int tofree = (limit + 4) / 5;
        if (tofree > avail) {
            tofree = (avail + 1) / 2;
        }
        a.freeBlock(c, entries, tofree, cpu);
        System.arraycopy(entries, tofree, entries, 0, avail - tofree);
        return avail - tofree;
    }

    /** {@code drain_freelist}: destroys up to {@code tofree} slabs from the tail of slabs_free; returns how many. */
    int drainFreelist(SlabCache c, long tofree, int cpu) {
        int freed = 0;
        while (freed < tofree && c.listTail[SlabSlabs.FREE] >= 0) {
            int s = c.listTail[SlabSlabs.FREE];
            a.slabs.unlink(c, s);
            c.freeSlabs--;
            c.totalSlabs--;
            c.freeObjects -= c.num;
            a.destroySlab(c, s, cpu);
            freed++;
        }
        return freed;
    }
}
