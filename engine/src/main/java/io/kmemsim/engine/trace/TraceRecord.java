package io.kmemsim.engine.trace;

/**
 * One trace event, as a mutable flyweight the readers fill (no allocation per record). Which fields
 * an event type uses follows its tracepoint format; unused fields hold −1 (numbers) or null.
 */
public final class TraceRecord {

    TraceEventType type;
    long timeNanos;
    int cpu;
    int pid;
    long pfn;
    int order;
    int migratetype;
    int gfp;
    int percpuRefill;
    int fallbackOrder;
    int pageblockOrder;
    int fallbackMigratetype;
    int fragmenting;
    int changeOwnership;
    long ptr;
    long bytesReq;
    long bytesAlloc;
    int node;
    int accounted;
    String cacheName;
    long callSite;
    long lineNumber;

    void reset(TraceEventType type) {
        this.type = type;
        pfn = -1;
        order = -1;
        migratetype = -1;
        gfp = 0;
        percpuRefill = -1;
        fallbackOrder = -1;
        pageblockOrder = -1;
        fallbackMigratetype = -1;
        fragmenting = -1;
        changeOwnership = -1;
        ptr = 0;
        bytesReq = -1;
        bytesAlloc = -1;
        node = -1;
        accounted = -1;
        cacheName = null;
        callSite = 0;
    }

    public TraceEventType type() {
        return type;
    }

    /** Timestamp in nanoseconds (ftrace prints microseconds: the last three digits are 0). */
    public long timeNanos() {
        return timeNanos;
    }

    public int cpu() {
        return cpu;
    }

    public int pid() {
        return pid;
    }

    /** The PFN, or −1 (a failed {@code mm_page_alloc} prints pfn 0 and a NULL page: read as −1). */
    public long pfn() {
        return pfn;
    }

    /** {@code order} (for extfrag: {@code alloc_order}). */
    public int order() {
        return order;
    }

    /** {@code migratetype} (for extfrag: {@code alloc_migratetype}). */
    public int migratetype() {
        return migratetype;
    }

    public int gfp() {
        return gfp;
    }

    public int percpuRefill() {
        return percpuRefill;
    }

    public int fallbackOrder() {
        return fallbackOrder;
    }

    public int pageblockOrder() {
        return pageblockOrder;
    }

    public int fallbackMigratetype() {
        return fallbackMigratetype;
    }

    public int fragmenting() {
        return fragmenting;
    }

    public int changeOwnership() {
        return changeOwnership;
    }

    /** The object pointer of slab events (0 for NULL). */
    public long ptr() {
        return ptr;
    }

    public long bytesReq() {
        return bytesReq;
    }

    public long bytesAlloc() {
        return bytesAlloc;
    }

    public int node() {
        return node;
    }

    /** {@code accounted}: 1 true, 0 false, −1 not printed. */
    public int accounted() {
        return accounted;
    }

    /** The cache name of {@code kmem_cache_free} (5.12+), or null. */
    public String cacheName() {
        return cacheName;
    }

    /**
     * An identity of the slab events' {@code call_site} (a 64-bit hash of the printed value, {@code %pS} symbol+offset
     * or hex address), or 0 when the event printed none (page events, the binary format).
     */
    public long callSite() {
        return callSite;
    }

    /** The line (text) or record (binary) number this came from, 1-based. */
    public long lineNumber() {
        return lineNumber;
    }

    /** Copies every field of {@code o} into this record. */
    public void copyFrom(TraceRecord o) {
        type = o.type;
        timeNanos = o.timeNanos;
        cpu = o.cpu;
        pid = o.pid;
        pfn = o.pfn;
        order = o.order;
        migratetype = o.migratetype;
        gfp = o.gfp;
        percpuRefill = o.percpuRefill;
        fallbackOrder = o.fallbackOrder;
        pageblockOrder = o.pageblockOrder;
        fallbackMigratetype = o.fallbackMigratetype;
        fragmenting = o.fragmenting;
        changeOwnership = o.changeOwnership;
        ptr = o.ptr;
        bytesReq = o.bytesReq;
        bytesAlloc = o.bytesAlloc;
        node = o.node;
        accounted = o.accounted;
        cacheName = o.cacheName;
        callSite = o.callSite;
        lineNumber = o.lineNumber;
    }
}
