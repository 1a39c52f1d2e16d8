package io.kmemsim.engine.trace;

import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.run.MachineSpan;
import java.util.List;
import java.util.Map;

/**
 * A reader for exact replay that refuses a page event whose PFN lies outside the simulated machine's
 * zones: exact mode places each allocation at its trace PFN, so a trace of a larger (or differently laid
 * out) machine is an input error with {@code file:line}, not a failure inside the allocator.
 */
final class MachineRangeReader implements TraceReader {

    private final TraceReader in;
    private final String source;
    private final MachineSpan span;
    private final String machine;

    private MachineRangeReader(TraceReader in, String source, MachineSpan span, String machine) {
        this.in = in;
        this.source = source;
        this.span = span;
        this.machine = machine;
    }

    static TraceReader of(TraceReader in, String source, PageAllocator allocator, String platform) {
        MachineSpan span = MachineSpan.of(allocator);
        return span.isEmpty() ? in : new MachineRangeReader(in, source, span, platform);
    }

    @Override
    public boolean next(TraceRecord into) {
        if (!in.next(into)) {
            return false;
        }
        if (into.type.ordinal() <= TraceEventType.MM_PAGE_ALLOC_EXTFRAG.ordinal() && into.pfn >= 0
                && !span.holds(into.pfn, into.order)) {
            throw new InputException(new InputProblem(source, (int) Math.min(into.lineNumber, Integer.MAX_VALUE), 0, "pfn",
                    into.type.kernelName() + " of pfn 0x" + Long.toHexString(into.pfn) + " order " + into.order
                    + " lies outside the simulated machine (" + machine + ": " + span.describe() + "); --mode exact needs a scenario whose platform covers the traced "
                    + "machine, or use --mode policy"));
        }
        return true;
    }

    @Override
    public long position() {
        return in.position();
    }

    @Override
    public Map<String, Long> skipped() {
        return in.skipped();
    }

    @Override
    public long otherEvents() {
        return in.otherEvents();
    }

    @Override
    public Map<LineKind, Long> lineKinds() {
        return in.lineKinds();
    }

    @Override
    public Map<Integer, Long> lostEvents() {
        return in.lostEvents();
    }

    @Override
    public long lostUncounted() {
        return in.lostUncounted();
    }

    @Override
    public List<TraceMarker> markers() {
        return in.markers();
    }

    @Override
    public Map<TraceEventType, Long> reclaimEvents() {
        return in.reclaimEvents();
    }

    @Override
    public void close() {
        in.close();
    }
}
