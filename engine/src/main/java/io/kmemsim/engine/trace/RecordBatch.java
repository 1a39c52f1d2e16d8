package io.kmemsim.engine.trace;

/**
 * Consecutive records of a binary trace, decoded by {@link BinaryTraceReader#fill} into parallel arrays and
 * reused from fill to fill (no allocation per record or per batch once every slot has been used).
 *
 * <p>An {@code mm_page_alloc} or {@code mm_page_free} record is an entry of the arrays ({@link #PAGE_ALLOC} or
 * {@link #PAGE_FREE} in {@link #kind}; its pid is not kept, nothing that replays reads it); any other record is
 * kind {@link #OTHER} and is held whole in {@link #other} at the same index. Entry {@code i} is record
 * {@code firstRecord + i} of the file (1-based: binary records are numbered consecutively). After the entries,
 * the batch may say that the trace {@link #end ended} or that reading failed ({@link #failure}, thrown by the
 * consumer once the entries before it are used, so that what happens before the bad record is the same as
 * when the records are read one by one).
 */
final class RecordBatch {

    static final byte PAGE_ALLOC = 0;
    static final byte PAGE_FREE = 1;
    static final byte OTHER = 2;

    final byte[] kind;
    final long[] pfn;
    final byte[] order;
    final byte[] migratetype;
    final int[] gfp;
    final int[] cpu;
    final long[] time;
    final TraceRecord[] other;
    int size;
    long firstRecord;
    boolean end;
    Throwable failure;

    RecordBatch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a batch holds at least one record: " + capacity);
        }
        kind = new byte[capacity];
        pfn = new long[capacity];
        order = new byte[capacity];
        migratetype = new byte[capacity];
        gfp = new int[capacity];
        cpu = new int[capacity];
        time = new long[capacity];
        other = new TraceRecord[capacity];
    }

    int capacity() {
        return kind.length;
    }

    void clear(long first) {
        size = 0;
        firstRecord = first;
        end = false;
        failure = null;
    }

    /** The record slot for an {@link #OTHER} entry at {@code i}, made on first use and kept. */
    TraceRecord otherAt(int i) {
        TraceRecord r = other[i];
        if (r == null) {
            r = new TraceRecord();
            other[i] = r;
        }
        return r;
    }

    /** Appends a page record from {@code r} (an {@code mm_page_alloc} or {@code mm_page_free}). */
    void addPage(TraceRecord r) {
        int i = size++;
        kind[i] = r.type == TraceEventType.MM_PAGE_ALLOC ? PAGE_ALLOC : PAGE_FREE;
        pfn[i] = r.pfn;
        order[i] = (byte) r.order;
        migratetype[i] = (byte) r.migratetype;
        gfp[i] = r.gfp;
        cpu[i] = r.cpu;
        time[i] = r.timeNanos;
    }

    /** Copies page entry {@code i} into {@code r}, whose other fields hold {@link TraceRecord#reset}'s values. */
    void copyPage(int i, TraceRecord r) {
        r.type = kind[i] == PAGE_ALLOC ? TraceEventType.MM_PAGE_ALLOC : TraceEventType.MM_PAGE_FREE;
        r.pfn = pfn[i];
        r.order = order[i];
        r.migratetype = migratetype[i];
        r.gfp = gfp[i];
        r.cpu = cpu[i];
        r.timeNanos = time[i];
        r.pid = -1;
        r.lineNumber = firstRecord + i;
    }

    /** Throws {@link #failure} as it was thrown where the batch was filled. */
    void rethrow() {
        Throwable f = failure;
        if (f instanceof RuntimeException e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(f);
    }
}
