package io.kmemsim.engine.run;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import java.util.Locale;

/**
 * The PFN range {@code [firstPfn, endPfn)} a page allocator's zones span (holes included): where an exact
 * replay may place a block. One home for the range and its check, used by the event loop (any workload that
 * places at a PFN) and by the trace reader of an exact replay (which can name the trace's line).
 *
 * @param firstPfn the lowest PFN of a populated zone span (0 when no zone spans pages)
 * @param endPfn   one past the highest
 */
public record MachineSpan(long firstPfn, long endPfn) {

    /** The span of {@code allocator}'s zones with spanned pages. */
    public static MachineSpan of(PageAllocator allocator) {
        long first = Long.MAX_VALUE;
        long end = 0;
        for (Zone z : allocator.zones()) {
            if (z.spannedPages() > 0) {
                first = Math.min(first, z.startPfn());
                end = Math.max(end, z.startPfn() + z.spannedPages());
            }
        }
        return new MachineSpan(first == Long.MAX_VALUE ? 0 : first, end);
    }

    /** True when no zone spans a page. */
    public boolean isEmpty() {
        return firstPfn >= endPfn;
    }

    /** True when the block of {@code 2^order} pages at {@code pfn} lies inside the span. */
    public boolean holds(long pfn, int order) {
        return pfn >= firstPfn && pfn + (1L << Math.max(0, order)) <= endPfn;
    }

    /** The span as messages print it: {@code PFNs 0x40000–0x7ffff}. */
    public String describe() {
        return String.format(Locale.ROOT, "PFNs 0x%x–0x%x", firstPfn, endPfn - 1);
    }
}
