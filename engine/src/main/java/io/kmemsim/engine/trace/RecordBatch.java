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

    /*
     * What a record does under the replay rules when every allocation before it succeeded ({@link #op}, filled by
     * TraceWorkloadSpeculation on the thread that decoded the batch). The values index the run thread's counts.
     */
    /** An allocation of a PFN that is not live: allocate. */
    static final byte OP_ALLOC = 0;
    /** A free of a live PFN: free it with the order in {@link #aux}. */
    static final byte OP_FREE = 1;
    /** An allocation of a PFN that is still live (a lost free): free the stale block (order in {@link #aux}), then allocate. */
    static final byte OP_STALE = 2;
    /** An allocation that failed in the trace (no PFN): counted. */
    static final byte OP_FAILED_IN_TRACE = 3;
    /** An allocation above the allocator's largest order: counted. */
    static final byte OP_ORDER_TOO_LARGE = 4;
    /** A free of a PFN that is not live: counted as pre-existing. */
    static final byte OP_PRE_EXISTING = 5;
    /** Any other record: translated on the run's thread ({@link #aux}: 1 when its pointer is a live PFN). */
    static final byte OP_OTHER = 6;
    /** Kinds of {@link #op}. */
    static final int OPS = 7;
    /** Bits of {@link #op} holding the kind. */
    static final int OP_MASK = 0x0f;
    /** Flag in {@link #op}: a tick at {@link #tickAt} comes before the record. */
    static final int OP_TICK = 0x10;

    final byte[] kind;
    final long[] pfn;
    final byte[] order;
    final byte[] migratetype;
    final int[] gfp;
    final int[] cpu;
    final long[] time;
    final TraceRecord[] other;
    /** The record's speculative kind ({@code OP_*}, with {@link #OP_TICK}); only when the batch was translated. */
    final byte[] op;
    /** The order of the block an {@link #OP_FREE} or {@link #OP_STALE} frees; for {@link #OP_OTHER}, see there. */
    final byte[] aux;
    /** The replay time of the record's events: the largest record time so far. */
    final long[] at;
    /** The time of the tick before the record, when {@link #op} has {@link #OP_TICK}. */
    final long[] tickAt;
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
        op = new byte[capacity];
        aux = new byte[capacity];
        at = new long[capacity];
        tickAt = new long[capacity];
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
