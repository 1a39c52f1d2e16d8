package io.kmemsim.engine.twin;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What the slab twin produced (docs/twin.md, "Slab twin"; docs/fidelity.md, "Slab twin").
 *
 * @param startSource        the slabinfo the caches were built from
 * @param startEvidence      when that snapshot was taken against the trace, and what else the bundle says about the
 *                           slab state at the trace's start (timeline.txt, vmstat slab pages, the trace's own frees)
 * @param traced             slab allocation events of the trace ({@code kmem_cache_alloc} + {@code kmalloc})
 * @param replayed           of those, the ones replayed
 * @param replayedPerCache   objects replayed per cache name ({@code kmalloc} events by {@code bytes_alloc})
 * @param failures           events not replayed or only partly, by reason
 * @param rows               the end comparison for the caches the trace touched
 * @param slabinfo           the twin's end {@code /proc/slabinfo}
 * @param resolution         how each {@code kmem_cache_alloc}'s cache was found, by route
 * @param createdDuringTrace caches the trace names that the start slabinfo lacks, created from slabinfo.after's
 *                           geometry
 */
public record SlabResult(String startSource, List<String> startEvidence, long traced, long replayed,
                         Map<String, Long> replayedPerCache, Map<String, Long> failures, List<Row> rows, String slabinfo,
                         Map<String, Long> resolution, List<String> createdDuringTrace) {

    public SlabResult {
        startEvidence = List.copyOf(startEvidence);
        resolution = Map.copyOf(resolution);
        replayedPerCache = Map.copyOf(replayedPerCache);
        failures = Map.copyOf(failures);
        rows = List.copyOf(rows);
        createdDuringTrace = List.copyOf(createdDuringTrace);
    }

    /**
     * One cache the trace touched, at the end.
     *
     * @param name        the cache name
     * @param realActive  the kernel's active_objs (slabinfo.after.txt)
     * @param realNum     the kernel's num_objs
     * @param twinActive  the twin's active_objs
     * @param twinNum     the twin's num_objs
     * @param startActive the twin's active_objs at the trace's start (the start slabinfo, raised where the trace
     *                    frees more pre-trace objects than it lists)
     * @param traceNet    the trace's net change of the cache's active_objs, as replayed
     * @param tolerance   one slab per CPU ({@code objperslab × CPUs}): SLUB counts the free objects of per-CPU slabs
     *                    as active ({@code mm/slub.c: get_slabinfo()}, 6.1, subtracts only node-partial free objects)
     */
    public record Row(String name, long realActive, long realNum, long twinActive, long twinNum, long startActive,
                      long traceNet, long tolerance) {

        /** The kernel's own change over the same span: after − start. */
        public long realChange() {
            return realActive - startActive;
        }

        /** Whether the trace explains the kernel's change of this cache (to one slab per CPU). */
        public boolean explained() {
            return Math.abs(realChange() - traceNet) <= tolerance;
        }
    }

    /** Σ |twin − real| active_objs over {@link #rows}, divided by Σ real active_objs (0 when that is 0). */
    public double activeDistance() {
        return distance(r -> true, true);
    }

    /** Σ |twin − real| num_objs over {@link #rows}, divided by Σ real num_objs (0 when that is 0). */
    public double numDistance() {
        return distance(r -> true, false);
    }

    /** {@link #activeDistance()} over the caches whose change the trace explains. */
    public double explainedActiveDistance() {
        return distance(Row::explained, true);
    }

    /** {@link #numDistance()} over the caches whose change the trace explains. */
    public double explainedNumDistance() {
        return distance(Row::explained, false);
    }

    /** How many of {@link #rows} the trace explains. */
    public long explainedCaches() {
        return rows.stream().filter(Row::explained).count();
    }

    private double distance(Predicate<Row> which, boolean active) {
        long diff = 0;
        long real = 0;
        for (Row r : rows) {
            if (which.test(r)) {
                diff += Math.abs(active ? r.twinActive() - r.realActive() : r.twinNum() - r.realNum());
                real += active ? r.realActive() : r.realNum();
            }
        }
        return real == 0 ? 0 : (double) diff / real;
    }
}
