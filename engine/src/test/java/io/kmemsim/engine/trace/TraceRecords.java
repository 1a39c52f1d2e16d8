package io.kmemsim.engine.trace;

import java.util.ArrayList;
import java.util.List;

/** Test helper: every record a reader returns, each copied out of the reader's reused record. */
final class TraceRecords {

    private TraceRecords() {
    }

    static List<TraceRecord> drain(TraceReader reader) {
        List<TraceRecord> out = new ArrayList<>();
        TraceRecord rec = new TraceRecord();
        while (reader.next(rec)) {
            TraceRecord copy = new TraceRecord();
            copy.copyFrom(rec);
            out.add(copy);
        }
        return out;
    }
}
