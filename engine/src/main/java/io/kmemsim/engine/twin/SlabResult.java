package io.kmemsim.engine.twin;

import java.util.List;
import java.util.Map;

/**
 * What the slab twin produced (docs/twin.md, "Slab twin").
 *
 * @param startSource     the slabinfo the caches were built from
 * @param traced          slab allocation events of the trace ({@code kmem_cache_alloc} + {@code kmalloc})
 * @param replayed        of those, the ones replayed
 * @param replayedPerCache objects replayed per cache name ({@code kmalloc} events by {@code bytes_alloc})
 * @param failures        events not replayed or only partly, by reason
 * @param rows            the end comparison for the caches the trace touched
 * @param slabinfo        the twin's end {@code /proc/slabinfo}
 * @param resolution      how each {@code kmem_cache_alloc}'s cache was found, by route
 */
public record SlabResult(String startSource, long traced, long replayed, Map<String, Long> replayedPerCache,
                         Map<String, Long> failures, List<Row> rows, String slabinfo,
                         Map<String, Long> resolution) {

    public SlabResult {
        resolution = Map.copyOf(resolution);
        replayedPerCache = Map.copyOf(replayedPerCache);
        failures = Map.copyOf(failures);
        rows = List.copyOf(rows);
    }

    /**
     * One cache the trace touched, at the end.
     *
     * @param name       the cache name
     * @param realActive the kernel's active_objs (slabinfo.after.txt)
     * @param realNum    the kernel's num_objs
     * @param twinActive the twin's active_objs
     * @param twinNum    the twin's num_objs
     */
    public record Row(String name, long realActive, long realNum, long twinActive, long twinNum) {
    }

    /** Σ |twin − real| active_objs over {@link #rows}, divided by Σ real active_objs (0 when that is 0). */
    public double activeDistance() {
        long diff = 0;
        long real = 0;
        for (Row r : rows) {
            diff += Math.abs(r.twinActive() - r.realActive());
            real += r.realActive();
        }
        return real == 0 ? 0 : (double) diff / real;
    }

    /** Σ |twin − real| num_objs over {@link #rows}, divided by Σ real num_objs (0 when that is 0). */
    public double numDistance() {
        long diff = 0;
        long real = 0;
        for (Row r : rows) {
            diff += Math.abs(r.twinNum() - r.realNum());
            real += r.realNum();
        }
        return real == 0 ? 0 : (double) diff / real;
    }
}
