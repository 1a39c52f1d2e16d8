package io.kmemsim.engine.procfs;

import io.kmemsim.api.stats.HasCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the page-allocator part of {@code /proc/vmstat} (mm/vmstat.c: vmstat_show(), vmstat_text[] (6.1)): one
 * {@code "<name> <value>\n"} line per counter the allocators report through
 * {@link HasCounters#forEachCounter}, in the order the first node visits them (the allocator's contract
 * is to visit in the kernel's order), each value summed over the nodes as the kernel's global counters
 * are.
 *
 * <p>This is a fragment of the real file: counters the allocator does not own (LRU, NUMA, node and
 * reclaim stats, {@code nr_dirty_threshold}, the final {@code nr_unstable 0}) are not printed.
 */
public final class VmstatRenderer {

    private VmstatRenderer() {
    }

    /** The counter lines of the given nodes. */
    public static String render(List<? extends HasCounters> nodes) {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (HasCounters node : nodes) {
            node.forEachCounter((name, value) -> sums.merge(name, value, Long::sum));
        }
        StringBuilder sb = new StringBuilder(sums.size() * 24);
        sums.forEach((name, value) -> sb.append(name).append(' ').append(value).append('\n'));
        return sb.toString();
    }
}
