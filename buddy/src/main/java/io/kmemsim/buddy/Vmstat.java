package io.kmemsim.buddy;

import io.kmemsim.api.stats.CounterVisitor;
import java.util.Map;

/**
 * The counters a {@link BuddyPageAllocator} reports ({@code /proc/vmstat} names where the kernel has
 * them: {@code nr_free_pages}, {@code pgalloc_<zone>}, {@code pgfree}, {@code pgmigrate_*}, ...), in a
 * fixed order; policy counters follow in the order they were first counted.
 */
final class Vmstat {

    private Vmstat() {
    }

    static void visit(BuddyPageAllocator a, CounterVisitor v) {
        long free = 0;
        long blocks = 0;
        long cma = 0;
        for (BuddyZone z : a.zones) {
            free += z.freePages;
            blocks += z.freePagesBlocks;
            cma += z.freeCma;
        }
        v.counter("nr_free_pages", free);
        if (a.rules.freePagesBlocks) {
            v.counter("nr_free_pages_blocks", blocks);
        }
        ReclaimCounters.zoneLru(a, v);
        v.counter("nr_free_cma", cma);
        ReclaimCounters.nodeLru(a, v);
        for (BuddyZone z : a.zones) {
            v.counter("pgalloc_" + z.name().toLowerCase(java.util.Locale.ROOT), z.pgalloc);
        }
        for (BuddyZone z : a.zones) {
            v.counter("allocstall_" + z.name().toLowerCase(java.util.Locale.ROOT), a.allocstall[z.index]);
        }
        v.counter("pgfree", a.pgfree);
        v.counter("pgmigrate_success", a.pgmigrateSuccess);
        v.counter("pgmigrate_fail", a.pgmigrateFail);
        for (Map.Entry<String, long[]> e : a.policyCounters.entrySet()) {
            v.counter(e.getKey(), e.getValue()[0]);
        }
        v.counter("kmemsim_extfrag_events", a.extfragEvents);
    }
}
