package io.kmemsim.buddy;

import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.stats.CounterVisitor;
import java.util.Map;

/**
 * The reclaim side of the allocator's {@code /proc/vmstat} counters and its periodic work. Names and
 * order follow 6.1's {@code vmstat_text} (mm/vmstat.c): the zone LRU items after {@code nr_free_pages},
 * the node LRU and page cache items after {@code nr_free_cma}, the reclaim events registered up front
 * (and {@code pgskip_<zone>}, which the kernel prints just before {@code pgfree}) so they print in the
 * kernel's order among themselves, before the compaction events. Printed only when the scenario has
 * a reclaim policy or the workload put pages on the LRU lists, so runs without either keep their output.
 */
final class ReclaimCounters {

    /** The reclaim events of 6.1's {@code enum vm_event_item}, in its order. */
    static final String[] EVENTS = {"pgactivate", "pgdeactivate", "pgrefill", "pgsteal_kswapd", "pgsteal_direct",
        "pgscan_kswapd", "pgscan_direct", "pgscan_anon", "pgscan_file", "pgsteal_anon", "pgsteal_file",
        "slabs_scanned", "kswapd_low_wmark_hit_quickly", "kswapd_high_wmark_hit_quickly", "pageoutrun", "pgrotated", "oom_kill"};

    private static final String[] ZONE_ITEMS = {"nr_zone_inactive_anon", "nr_zone_active_anon",
        "nr_zone_inactive_file", "nr_zone_active_file"};
    private static final String[] NODE_ITEMS = {"nr_inactive_anon", "nr_active_anon", "nr_inactive_file",
        "nr_active_file"};

    private ReclaimCounters() {
    }

    static void register(Map<String, long[]> counters, BuddyZone[] zones) {
        for (BuddyZone z : zones) {
            counters.computeIfAbsent("pgskip_" + z.name().toLowerCase(java.util.Locale.ROOT), k -> new long[1]);
        }
        for (String e : EVENTS) {
            counters.computeIfAbsent(e, k -> new long[1]);
        }
    }

    private static boolean shown(BuddyPageAllocator a) {
        return a.reclaimPolicy != ReclaimPolicy.NONE || a.lru.used;
    }

    /** {@code nr_zone_*} LRU items (summed over the zones) and {@code nr_zone_write_pending}. */
    static void zoneLru(BuddyPageAllocator a, CounterVisitor v) {
        if (!shown(a)) {
            return;
        }
        for (int lru = 0; lru < ZONE_ITEMS.length; lru++) {
            v.counter(ZONE_ITEMS[lru], a.lru.pages[lru]);
        }
        v.counter("nr_zone_unevictable", 0);
        v.counter("nr_zone_write_pending", a.lru.dirtyPages);
    }

    /** The node LRU items, {@code workingset_*}, {@code nr_anon_pages}, {@code nr_file_pages}, dirty and written. */
    static void nodeLru(BuddyPageAllocator a, CounterVisitor v) {
        if (!shown(a)) {
            return;
        }
        Lru l = a.lru;
        for (int lru = 0; lru < NODE_ITEMS.length; lru++) {
            v.counter(NODE_ITEMS[lru], l.pages[lru]);
        }
        v.counter("nr_unevictable", 0);
        v.counter("workingset_refault_anon", 0);
        v.counter("workingset_refault_file", l.workingsetRefault);
        v.counter("workingset_activate_anon", 0);
        v.counter("workingset_activate_file", l.workingsetActivate);
        v.counter("workingset_restore_anon", 0);
        v.counter("workingset_restore_file", l.workingsetRestore);
        v.counter("nr_anon_pages", l.pages[ReclaimContext.INACTIVE_ANON] + l.pages[ReclaimContext.ACTIVE_ANON]);
        v.counter("nr_file_pages", l.filePages);
        v.counter("nr_dirty", l.dirtyPages);
        v.counter("nr_writeback", l.writebackPages);
        v.counter("nr_vmscan_write", l.nrVmscanWrite);
        v.counter("nr_vmscan_immediate_reclaim", l.nrVmscanImmediate);
        v.counter("nr_dirtied", l.nrDirtied);
        v.counter("nr_written", l.nrWritten);
    }

    /**
     * A tick: writeback started before completes ({@code folio_end_writeback}), the flusher starts writing back what reclaim asked for; a zone whose watermark was boosted wakes
     * kswapd ({@code wakeup_kswapd(zone, 0, 0, zone_idx(zone))} from {@code rmqueue}); kswapd runs.
     */
    static void tick(BuddyPageAllocator a, long nowNanos) {
        a.lru.endWriteback();
        if (a.lru.flusherWoken) {
            a.lru.writebackAll();
        }
        if (a.reclaimPolicy == ReclaimPolicy.NONE) {
            return;
        }
        for (BuddyZone z : a.zones) {
            if (z.kswapdWoken) {
                a.reclaimPolicy.wakeKswapd(0, 0, z.index, a.reclaimContext);
            }
        }
        a.reclaimPolicy.onTick(nowNanos, a.reclaimContext);
    }
}
