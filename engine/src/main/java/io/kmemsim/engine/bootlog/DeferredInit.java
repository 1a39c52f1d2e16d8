package io.kmemsim.engine.bootlog;

import java.util.ArrayList;
import java.util.List;

/**
 * Which pages' struct pages are still uninitialised when the {@code Memory:} line is printed on kernels
 * before 6.12 with {@code CONFIG_DEFERRED_STRUCT_PAGE_INIT} (Debian: on): mm/page_alloc.c: free_area_init(), mem_init_print_info() (6.1)
 * item 8 says the highest zone of each node is initialised only for its first section.
 *
 * <p>In detail (6.1 {@code defer_init()}): only the zone whose end is the node's end defers; while its
 * regions are walked in order, the pages are counted, and the first section-aligned PFN reached after
 * more than one section's worth of pages becomes {@code first_deferred_pfn}; every page of that zone from
 * there on is deferred. Used only for the estimated part of the {@code Memory:} line.
 */
final class DeferredInit {

    private final MemoryLayout layout;

    DeferredInit(MemoryLayout layout) {
        this.layout = layout;
    }

    /** The deferred PFN ranges {@code [start, end)}, in address order. */
    List<long[]> ranges() {
        List<long[]> out = new ArrayList<>();
        long pps = layout.pagesPerSection();
        for (int n = 0; n < layout.nodes.length; n++) {
            int z = highestPopulatedZone(n);
            if (z < 0) {
                continue;
            }
            long before = 0;
            boolean deferring = false;
            for (MemoryLayout.Region r : layout.regions) {
                if (r.node() != layout.nodes[n]) {
                    continue;
                }
                long s = Math.max(r.startPfn(), layout.spanStart[n][z]);
                long e = Math.min(r.endPfn(), layout.spanEnd[n][z]);
                if (s >= e) {
                    continue;
                }
                if (deferring) {
                    out.add(new long[] {s, e});
                    continue;
                }
                long first = Math.max(s, s + pps - before);
                long p = (first + pps - 1) / pps * pps;
                if (p < e) {
                    out.add(new long[] {p, e});
                    deferring = true;
                } else {
                    before += e - s;
                }
            }
        }
        return out;
    }

    private int highestPopulatedZone(int n) {
        for (int z = layout.zones.size() - 1; z >= 0; z--) {
            if (layout.present[n][z] > 0) {
                return z;
            }
        }
        return -1;
    }
}
