package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;

/**
 * Boot-time population (reference/page-allocator.md §3.7): page states from the memory map, zone sizes,
 * pageblocks typed MOVABLE (UNMOVABLE without a fallback policy, §4.8), then the free memblock ranges
 * handed to the buddy allocator in ascending PFN order, each cut into the largest aligned chunks and
 * freed to the tail; then the CMA area, one pageblock at a time typed CMA.
 *
 * <p>Notes: chunks are additionally cut at zone boundaries (the kernel relies on aligned zone limits);
 * CMA pageblocks are freed through the buddy path to the tail after all memblock memory, whereas the
 * kernel frees them later through {@code __free_pages} (which may pass the pcp lists of the boot CPU):
 * the resulting CMA list order is ascending here and may differ. Boot frees count in {@code pgfree}.
 */
final class Boot {

    private Boot() {
    }

    static void populate(BuddyPageAllocator a, BootLayout layout) {
        byte[] flags = a.flags;
        java.util.Arrays.fill(flags, (byte) BuddyPageAllocator.ST_HOLE);
        for (long[] r : layout.ram) {
            mark(a, r, BuddyPageAllocator.ST_TAIL);
        }
        for (long[] r : layout.nomap) {
            mark(a, r, BuddyPageAllocator.ST_HOLE);
        }
        for (long[] r : layout.reserved) {
            markPresent(a, r, BuddyPageAllocator.ST_RESERVED);
        }
        for (long[] r : layout.cma) {
            markPresent(a, r, BuddyPageAllocator.ST_RESERVED);
        }
        sizeZones(a, layout);
        byte initial = (byte) (a.fallbackPolicy == null ? MigrateType.UNMOVABLE.ordinal() : MigrateType.MOVABLE.ordinal());
        java.util.Arrays.fill(a.lists.pbType, initial);
        freeRanges(a);
        for (long[] r : layout.cma) {
            freeCma(a, r);
        }
        a.pgfree = 0;
        for (BuddyZone z : a.zones) {
            a.pgfree += z.freePages;
        }
    }

    /**
     * The late frees of {@link BootLayout#late} ({@code free_reserved_area}, 6.1): each reserved page of the
     * ranges becomes managed and free. The kernel frees them one page at a time through the per-CPU lists of
     * the freeing CPU; here each run is freed through the buddy path in aligned chunks (same merged result
     * once the lists are drained). Does not recompute any tunable: the kernel does not either.
     *
     * @return the pages released
     */
    static long releaseLate(BuddyPageAllocator a, BootLayout layout) {
        long released = 0;
        for (long[] r : layout.late) {
            int s = Math.max(0, a.indexOf(Math.max(r[0], a.basePfn)));
            long e = Math.min(r[1], a.basePfn + a.nPages);
            int i = s;
            while (i < e - a.basePfn) {
                BuddyZone z = a.zoneOf(i);
                if (z == null || a.flags[i] != BuddyPageAllocator.ST_RESERVED) {
                    i++;
                    continue;
                }
                int end = i;
                while (end < e - a.basePfn && end < z.endIdx && a.flags[end] == BuddyPageAllocator.ST_RESERVED) {
                    a.flags[end] = BuddyPageAllocator.ST_TAIL;
                    end++;
                }
                z.managed += end - i;
                released += end - i;
                freeChunks(a, z, i, end);
                a.pgfree += end - i;
                i = end;
            }
        }
        return released;
    }

    private static void mark(BuddyPageAllocator a, long[] r, int state) {
        int s = Math.max(0, a.indexOf(Math.max(r[0], a.basePfn)));
        long e = Math.min(r[1], a.basePfn + a.nPages);
        for (int i = s; i < e - a.basePfn; i++) {
            a.flags[i] = (byte) state;
        }
    }

    private static void markPresent(BuddyPageAllocator a, long[] r, int state) {
        int s = Math.max(0, a.indexOf(Math.max(r[0], a.basePfn)));
        long e = Math.min(r[1], a.basePfn + a.nPages);
        for (int i = s; i < e - a.basePfn; i++) {
            if (a.flags[i] != BuddyPageAllocator.ST_HOLE) {
                a.flags[i] = (byte) state;
            }
        }
    }

    private static void sizeZones(BuddyPageAllocator a, BootLayout layout) {
        for (BuddyZone z : a.zones) {
            long s = layout.zoneStartPfn[z.index];
            long e = layout.zoneEndPfn[z.index];
            z.startIdx = e > s ? (int) (s - a.basePfn) : 0;
            z.endIdx = e > s ? (int) (e - a.basePfn) : 0;
            z.spanned = z.endIdx - z.startIdx;
            for (int i = z.startIdx; i < z.endIdx; i++) {
                int st = a.flags[i];
                if (st != BuddyPageAllocator.ST_HOLE) {
                    z.present++;
                    if (st == BuddyPageAllocator.ST_TAIL) {
                        z.managed++;
                    }
                }
            }
        }
    }

    /** memblock_free_all: each run of free pages in ascending order, cut by {@code __free_pages_memory}. */
    private static void freeRanges(BuddyPageAllocator a) {
        for (BuddyZone z : a.zones) {
            int i = z.startIdx;
            while (i < z.endIdx) {
                if (a.flags[i] != BuddyPageAllocator.ST_TAIL) {
                    i++;
                    continue;
                }
                int end = i;
                while (end < z.endIdx && a.flags[end] == BuddyPageAllocator.ST_TAIL) {
                    end++;
                }
                freeChunks(a, z, i, end);
                i = end;
            }
        }
    }

    private static void freeChunks(BuddyPageAllocator a, BuddyZone z, int start, int end) {
        int s = start;
        while (s < end) {
            long pfn = a.pfnOf(s);
            int o = pfn == 0 ? a.maxOrder : Math.min(a.maxOrder, Long.numberOfTrailingZeros(pfn));
            while (s + (1L << o) > end) {
                o--;
            }
            a.freeBuddyPath(z, s, o, true);
            s += 1 << o;
        }
    }

    private static void freeCma(BuddyPageAllocator a, long[] r) {
        int pbn = 1 << a.pbo;
        for (long pfn = r[0]; pfn + pbn <= r[1]; pfn += pbn) {
            int idx = a.indexOf(pfn);
            BuddyZone z = idx < 0 ? null : a.zoneOf(idx);
            if (z == null || (idx & (pbn - 1)) != 0) {
                continue;
            }
            a.lists.pbType[idx >> a.pbo] = (byte) MigrateType.CMA.ordinal();
            z.managed += pbn;
            z.cmaPages += pbn;
            for (int i = idx; i < idx + pbn; i++) {
                a.flags[i] = BuddyPageAllocator.ST_TAIL;
            }
            a.freeOnePage(z, idx, a.pbo, MigrateType.CMA.ordinal(), true);
        }
    }
}
