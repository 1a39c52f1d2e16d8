package io.kmemsim.engine.trace;

import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.EventOrigin;
import io.kmemsim.engine.run.PageEventSink;
import io.kmemsim.engine.run.PageEventSource;
import io.kmemsim.engine.util.LongMaps;
import io.kmemsim.engine.util.PfnBytes;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a trace into simulation events (include/trace/events/kmem.h: TRACE_EVENT(mm_page_alloc) (6.1) replay rules, mm/slab_common.c: __do_kmalloc_node() (6.1); mm/slub.c: kmem_cache_free() (6.1)).
 *
 * <p>Rules:
 * <ul>
 *   <li>Slab object events ({@code kmalloc}, {@code kfree}, {@code kmem_cache_*}) are replayed only when
 *       asked: the trace's {@code mm_page_alloc} events already hold the slab pages.</li>
 *   <li>A page allocation's handle is its trace PFN; in {@link Mode#EXACT} the event also names that
 *       PFN so the allocator places the block there. A failed {@code mm_page_alloc} is skipped.</li>
 *   <li>{@code mm_page_free} frees the live allocation of that PFN with the order it was allocated
 *       with; a free of a PFN never seen allocated (allocated before the trace started, or by the bulk
 *       allocator, which emits no {@code mm_page_alloc}) is counted as pre-existing, not an error.
 *       {@code mm_page_free_batched} is not an extra free: the page also appears in {@code mm_page_free}.</li>
 *   <li>An allocation of a PFN that is still live in the trace (events lost in a buffer overrun) first
 *       frees the stale block (counted as a missing free).</li>
 *   <li>{@code kmalloc} and {@code kmem_cache_alloc} use the object pointer as handle. The trace does not
 *       name the cache of {@code kmem_cache_alloc}, so objects are grouped into one replay cache per object
 *       size ({@code bytes_req}), created on first use. {@code kfree} of NULL or ZERO_SIZE_PTR does
 *       nothing; {@code kfree} of a cache object frees it from its cache.</li>
 *   <li>{@code mm_page_alloc_zone_locked}, {@code mm_page_pcpu_drain} and {@code mm_page_alloc_extfrag}
 *       describe the real allocator's internals and are counted, not replayed.</li>
 * </ul>
 * Trace CPUs beyond the simulated CPU count wrap around. The live page blocks of the trace (allocated and not yet
 * freed by it, whether or not the simulated allocator reclaimed them since) are a direct PFN → order table
 * ({@link PfnBytes}): a page event costs two array loads here, no hashing; the event loop's handle map is the
 * only hash map a page event touches. Live slab objects are primitive maps.
 *
 * <p>A binary trace is read in batches ({@link RecordBatches}: decoded on this thread, or ahead of it on a decode
 * thread), and in policy mode its page events are pushed to the event loop ({@link PageEventSource}): a loop over
 * a batch's arrays that calls the loop directly, no {@link Event} per record. The page rules above are then applied
 * ahead, on the thread that decodes the batch, as if every allocation succeeded ({@link TraceWorkloadSpeculation}:
 * live-block table, stale blocks, pre-existing frees, failed-in-trace records, orders above the allocator's, ticks,
 * replay times); this thread runs the translated records, counts them by kind, and applies the exact rules only to
 * the records of a PFN whose allocation failed here ({@link #diverged}: a later free of it is a pre-existing free, a
 * later allocation of it no stale block). Another record type goes through {@link #next} (so does everything of a
 * text trace, of exact mode, and of {@code decode: record}, with the rules applied record by record); every way
 * gives the same events in the same order and the same counters after each event.
 */
final class TraceWorkload implements Workload, EventOrigin, PageEventSource {

    enum Mode { EXACT, POLICY }

    private static final long ZERO_SIZE_PTR = 0x10;

    private final TraceReader reader;
    private final Mode mode;
    private final int cpus;
    private final int maxOrder;
    private final long tickNanos;
    private final boolean slabObjects;
    private long slabNotReplayed;
    /** The record being translated: {@link #scratch}, or a record kept whole in the current batch. */
    private TraceRecord rec;
    private final TraceRecord scratch = new TraceRecord();
    /** The batches of a binary trace; null: records are read one by one from {@link #reader}. */
    private final RecordBatches batches;
    private RecordBatch batch;
    /** The next entry of {@link #batch} to read. */
    private int cursor;
    /** The number (1-based) of the last record read from the batches. */
    private long position;
    /** Live page blocks of the trace: PFN → order + 1 (0: none live). */
    private final PfnBytes liveOrder = new PfnBytes();
    private final Long2LongOpenHashMap kmallocLive = LongMaps.create(1 << 10, -1);
    private final Long2LongOpenHashMap objectCache = LongMaps.create(1 << 10, -1);
    private final Long2LongOpenHashMap cacheCreated = LongMaps.create(64, -1);
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private boolean pending;
    private long nextTick;
    private long lastTime;
    private long failedInTrace;
    private long preExistingFrees;
    private long missingFrees;
    private long informational;
    private long orderTooLarge;
    private long pendingFreePfn = -1;

    /*
     * Policy mode over batches: the page rules run ahead on the decoding thread ({@link TraceWorkloadSpeculation},
     * assuming every allocation succeeds); this thread runs the translated records and keeps only where the
     * assumption broke.
     */
    /** The rules applied ahead to each batch; null: the rules run here, record by record ({@link #liveOrder}). */
    private final TraceWorkloadSpeculation speculation;
    /**
     * PFNs that are live in the speculative table but not in the trace's real one (their allocation failed here, or
     * a failed slab allocation of that pointer forgot them); the records of these PFNs take the exact rules. The
     * only way the two tables differ: a PFN the speculation holds live that is not.
     */
    private final LongOpenHashSet diverged = new LongOpenHashSet();
    /** Records taken so far by speculative kind ({@code RecordBatch.OP_*}), corrected for {@link #diverged}. */
    private final long[] opCount = new long[RecordBatch.OPS];
    /** The entry of {@link #batch} being replayed by {@link #next} (speculative mode). */
    private int current = -1;
    private boolean tickDue;
    private boolean stalePending;

    TraceWorkload(TraceReader reader, Mode mode, int cpus, int maxOrder, long tickNanos, boolean slabObjects) {
        this(reader, null, mode, cpus, maxOrder, tickNanos, slabObjects);
    }

    /**
     * @param batches the batches of {@code reader} (a binary trace), or null to read records one by one; in policy
     *                mode the page rules run ahead on their decode thread, if they have one
     */
    TraceWorkload(TraceReader reader, RecordBatches batches, Mode mode, int cpus, int maxOrder, long tickNanos,
                  boolean slabObjects) {
        this(reader, batches, mode, cpus, maxOrder, tickNanos, slabObjects, batches != null && batches.threaded());
    }

    /**
     * @param speculate in policy mode over batches, apply the page rules ahead where the batches are decoded
     *                  ({@link TraceWorkloadSpeculation}); without a decode thread that is the same thread, and a
     *                  second pass over each batch: slower, so only tests ask for it there
     */
    TraceWorkload(TraceReader reader, RecordBatches batches, Mode mode, int cpus, int maxOrder, long tickNanos,
                  boolean slabObjects, boolean speculate) {
        this.slabObjects = slabObjects;
        this.reader = reader;
        this.batches = batches;
        this.rec = scratch;
        scratch.reset(TraceEventType.MM_PAGE_ALLOC);
        this.mode = mode;
        this.cpus = cpus;
        this.maxOrder = maxOrder;
        this.tickNanos = tickNanos;
        this.nextTick = tickNanos;
        if (speculate && batches != null && mode == Mode.POLICY) {
            speculation = new TraceWorkloadSpeculation(cpus, maxOrder, tickNanos);
            batches.speculate(speculation);
        } else {
            speculation = null;
        }
    }

    @Override
    public String eventSource() {
        return reader.source();
    }

    @Override
    public long eventLine() {
        return batches == null ? reader.position() : position;
    }

    @Override
    public boolean next(Event e) {
        if (speculation != null) {
            return nextTranslated(e);
        }
        while (true) {
            if (pendingFreePfn >= 0) {
                long pfn = pendingFreePfn;
                pendingFreePfn = -1;
                e.pageFree(pfn, (int) takeLive(pfn), cpu()).at(lastTime);
                return true;
            }
            if (!pending) {
                if (!readRecord()) {
                    return false;
                }
                pending = true;
            }
            if (tickNanos > 0 && rec.timeNanos >= nextTick) {
                long t = rec.timeNanos / tickNanos * tickNanos;
                nextTick = t + tickNanos;
                e.tick(t);
                return true;
            }
            lastTime = Math.max(lastTime, rec.timeNanos);
            if (translate(e)) {
                return true;
            }
        }
    }

    /** Reads the next record into {@link #rec}; false at the end of the trace. */
    private boolean readRecord() {
        if (batches == null) {
            return reader.next(rec);
        }
        RecordBatch b = currentBatch();
        if (b == null) {
            return false;
        }
        int i = cursor++;
        position = b.firstRecord + i;
        if (b.kind[i] == RecordBatch.OTHER) {
            rec = b.other[i];
        } else {
            rec = scratch;
            b.copyPage(i, scratch);
        }
        return true;
    }

    /**
     * The batch holding the next record, or null at the end of the trace; throws the read error that ended the
     * trace once the records before it are read.
     */
    private RecordBatch currentBatch() {
        RecordBatch b = batch;
        while (b == null || cursor == b.size) {
            if (b != null && b.failure != null) {
                b.rethrow();
            }
            if (b != null && b.end) {
                return null;
            }
            b = batches.next();
            batch = b;
            cursor = 0;
            if (b == null) {
                return null;
            }
        }
        return b;
    }

    /**
     * {@link #next} over translated batches: the tick before the record, then its events (a stale block's free first)
     * or, for another record type, {@link #translate}.
     */
    private boolean nextTranslated(Event e) {
        while (true) {
            if (!pending) {
                RecordBatch b = currentBatch();
                if (b == null) {
                    return false;
                }
                int i = cursor++;
                current = i;
                position = b.firstRecord + i;
                pending = true;
                tickDue = (b.op[i] & RecordBatch.OP_TICK) != 0;
                if ((b.op[i] & RecordBatch.OP_MASK) == RecordBatch.OP_OTHER) {
                    rec = b.other[i];
                }
            }
            RecordBatch b = batch;
            int i = current;
            if (tickDue) {
                tickDue = false;
                e.tick(b.tickAt[i]);
                return true;
            }
            lastTime = b.at[i];
            int op = b.op[i] & RecordBatch.OP_MASK;
            if (op == RecordBatch.OP_OTHER) {
                if (translate(e)) {
                    return true;
                }
                continue;
            }
            long pfn = b.pfn[i];
            if (!stalePending) {
                opCount[op]++;
                if (op > RecordBatch.OP_STALE) {
                    pending = false;
                    continue;
                }
                if (!diverged.isEmpty() && diverged.contains(pfn)) {
                    op = corrected(op, pfn);
                }
                if (op == RecordBatch.OP_FREE) {
                    pending = false;
                    e.pageFree(pfn, b.aux[i], b.cpu[i]).at(lastTime);
                    return true;
                }
                if (op == RecordBatch.OP_STALE) {
                    stalePending = true; // the allocation follows the stale block's free
                    e.pageFree(pfn, b.aux[i], b.cpu[i]).at(lastTime);
                    return true;
                }
                if (op != RecordBatch.OP_ALLOC) {
                    pending = false;
                    continue;
                }
            }
            stalePending = false;
            pending = false;
            e.pageAlloc(pfn, b.order[i], b.gfp[i], b.cpu[i]).at(lastTime);
            return true;
        }
    }

    /**
     * The exact rule for a record of a {@link #diverged} PFN (not live, though the speculation holds it live): a free
     * is a pre-existing free, an allocation is no stale block; the counts move with it, and the PFN leaves the set
     * (both tables agree after the record; a failed allocation puts it back).
     *
     * @return the record's real kind
     */
    private int corrected(int op, long pfn) {
        if (op == RecordBatch.OP_FREE) {
            opCount[RecordBatch.OP_FREE]--;
            opCount[RecordBatch.OP_PRE_EXISTING]++;
            diverged.remove(pfn);
            return RecordBatch.OP_PRE_EXISTING;
        }
        if (op == RecordBatch.OP_STALE) {
            opCount[RecordBatch.OP_STALE]--;
            opCount[RecordBatch.OP_ALLOC]++;
            diverged.remove(pfn);
            return RecordBatch.OP_ALLOC;
        }
        return op; // an allocation of a PFN the speculation holds live is a stale one: not reached
    }

    /** {@link #pushPageEvents} over translated batches: no table, no rule, unless a PFN {@link #diverged}. */
    private boolean pushTranslated(PageEventSink sink) {
        if (pending) {
            return false;
        }
        RecordBatch b = currentBatch();
        if (b == null) {
            return false;
        }
        final byte[] ops = b.op;
        final long[] pfns = b.pfn;
        final byte[] orders = b.order;
        final byte[] aux = b.aux;
        final int[] gfps = b.gfp;
        final int[] cpus = b.cpu;
        final long[] at = b.at;
        final long[] count = opCount;
        final LongOpenHashSet failed = diverged;
        final int n = b.size;
        final long first = b.firstRecord;
        int i = cursor;
        try {
            for (; i < n; i++) {
                int op = ops[i];
                if ((op & RecordBatch.OP_MASK) == RecordBatch.OP_OTHER) {
                    return false;
                }
                position = first + i;
                if ((op & RecordBatch.OP_TICK) != 0) {
                    sink.tick(b.tickAt[i]);
                }
                op &= RecordBatch.OP_MASK;
                count[op]++;
                if (op > RecordBatch.OP_STALE) {
                    continue;
                }
                long pfn = pfns[i];
                if (!failed.isEmpty() && failed.contains(pfn)) {
                    op = corrected(op, pfn);
                    if (op == RecordBatch.OP_PRE_EXISTING) {
                        continue;
                    }
                }
                long t = at[i];
                int cpu = cpus[i];
                if (op == RecordBatch.OP_FREE) {
                    sink.pageFree(pfn, aux[i], cpu, t);
                    continue;
                }
                if (op == RecordBatch.OP_STALE) {
                    sink.pageFree(pfn, aux[i], cpu, t);
                }
                if (!sink.pageAlloc(pfn, orders[i], gfps[i], cpu, t)) {
                    failed.add(pfn); // live in the speculation, not here
                    kmallocLive.remove(pfn); // as allocationFailed: the handle is forgotten everywhere
                    objectCache.remove(pfn);
                }
            }
            return true;
        } finally {
            cursor = i;
        }
    }

    @Override
    public boolean pushesPageEvents() {
        return batches != null && mode == Mode.POLICY;
    }

    /**
     * The page records of the current batch, translated as {@link #next} translates them and pushed to
     * {@code sink}; stops (false) at a record {@link #next} must handle: another type, or an allocation of a PFN
     * that is still live. Ticks are pushed before the record whose time crosses a tick, as {@link #next} emits
     * them.
     */
    @Override
    public boolean pushPageEvents(PageEventSink sink) {
        if (speculation != null) {
            return pushTranslated(sink);
        }
        if (pending || pendingFreePfn >= 0 || mode != Mode.POLICY) {
            return false;
        }
        RecordBatch b = currentBatch();
        if (b == null) {
            return false;
        }
        final byte[] kinds = b.kind;
        final long[] pfns = b.pfn;
        final byte[] orders = b.order;
        final long[] times = b.time;
        final PfnBytes live = liveOrder;
        final long tick = tickNanos;
        final int n = b.size;
        final long first = b.firstRecord;
        int i = cursor;
        try {
            for (; i < n; i++) {
                int kind = kinds[i];
                if (kind == RecordBatch.OTHER) {
                    return false;
                }
                long t = times[i];
                long pfn = pfns[i];
                position = first + i;
                if (tick > 0 && t >= nextTick) {
                    long at = t / tick * tick;
                    nextTick = at + tick;
                    sink.tick(at);
                }
                if (t > lastTime) {
                    lastTime = t;
                }
                int order = orders[i];
                if (kind == RecordBatch.PAGE_ALLOC) {
                    if (pfn < 0) {
                        failedInTrace++;
                        continue;
                    }
                    if (order > maxOrder) {
                        orderTooLarge++;
                        continue;
                    }
                    int was = live.swap(pfn, order + 1);
                    if (was != 0) {
                        live.set(pfn, was);
                        return false; // a stale block: next() frees it first
                    }
                    if (!sink.pageAlloc(pfn, order, b.gfp[i], wrapCpu(b.cpu[i]), lastTime)) {
                        allocationFailed(pfn);
                    }
                } else {
                    int orderPlus1 = live.swap(pfn, 0);
                    if (orderPlus1 == 0) {
                        preExistingFrees++;
                        continue;
                    }
                    sink.pageFree(pfn, orderPlus1 - 1, wrapCpu(b.cpu[i]), lastTime);
                }
            }
            return true;
        } finally {
            cursor = i;
        }
    }

    private int cpu() {
        return wrapCpu(rec.cpu);
    }

    private int wrapCpu(int c) {
        return c >= 0 && c < cpus ? c : Math.floorMod(c, cpus);
    }

    /** Translates the pending record into {@code e}; false when the record produces no event. */
    private boolean translate(Event e) {
        if (!slabObjects && rec.type.ordinal() >= TraceEventType.KMALLOC.ordinal()) {
            pending = false;
            slabNotReplayed++;
            return false;
        }
        switch (rec.type) {
            case MM_PAGE_ALLOC -> {
                return pageAlloc(e);
            }
            case MM_PAGE_FREE -> {
                pending = false;
                long order = takeLive(rec.pfn);
                if (order < 0) {
                    preExistingFrees++;
                    return false;
                }
                e.pageFree(rec.pfn, (int) order, cpu()).at(lastTime);
                return true;
            }
            case KMALLOC -> {
                pending = false;
                if (rec.ptr == 0 || rec.ptr == ZERO_SIZE_PTR) {
                    failedInTrace += rec.ptr == 0 ? 1 : 0;
                    return false;
                }
                kmallocLive.put(rec.ptr, 1);
                e.kmalloc(rec.ptr, rec.bytesReq, rec.gfp, cpu()).at(lastTime);
                return true;
            }
            case KMEM_CACHE_ALLOC -> {
                return cacheAlloc(e);
            }
            case KFREE, KMEM_CACHE_FREE -> {
                pending = false;
                return objectFree(e);
            }
            default -> {
                pending = false;
                informational++;
                return false;
            }
        }
    }

    private boolean pageAlloc(Event e) {
        if (rec.pfn < 0) {
            pending = false;
            failedInTrace++;
            return false;
        }
        if (rec.order > maxOrder) {
            pending = false;
            orderTooLarge++;
            return false;
        }
        if (liveOrder.get(rec.pfn) != 0) {
            return staleBlock();
        }
        liveOrder.set(rec.pfn, rec.order + 1);
        pending = false;
        e.pageAlloc(rec.pfn, rec.order, rec.gfp, cpu()).at(lastTime);
        if (mode == Mode.EXACT) {
            e.withPfn(rec.pfn);
        }
        return true;
    }

    /** An allocation of a PFN that is still live: the stale block is freed first (a missing free). */
    private boolean staleBlock() {
        missingFrees++;
        pendingFreePfn = rec.pfn; // free the stale block first; this record stays pending
        return false;
    }

    /** Forgets the live block at {@code pfn} and returns its order, or −1 when none is live. */
    private long takeLive(long pfn) {
        int orderPlus1 = liveOrder.get(pfn);
        if (orderPlus1 == 0) {
            return -1;
        }
        liveOrder.set(pfn, 0);
        return orderPlus1 - 1;
    }

    private boolean cacheAlloc(Event e) {
        if (rec.ptr == 0) {
            pending = false;
            failedInTrace++;
            return false;
        }
        long size = Math.max(1, rec.bytesReq);
        if (!cacheCreated.containsKey(size)) {
            cacheCreated.put(size, 1);
            e.cacheCreate(size, "replay-" + size, size, 0, 0).at(lastTime);
            return true; // the allocation stays pending
        }
        pending = false;
        objectCache.put(rec.ptr, size);
        e.cacheAlloc(size, rec.ptr, rec.gfp, cpu()).at(lastTime);
        return true;
    }

    private boolean objectFree(Event e) {
        if (rec.ptr == 0 || rec.ptr == ZERO_SIZE_PTR) {
            return false;
        }
        if (kmallocLive.remove(rec.ptr) >= 0) {
            e.kfree(rec.ptr, cpu()).at(lastTime);
            return true;
        }
        long cache = objectCache.remove(rec.ptr);
        if (cache >= 0) {
            e.cacheFree(cache, rec.ptr, cpu()).at(lastTime);
            return true;
        }
        preExistingFrees++;
        return false;
    }

    @Override
    public void allocationFailed(long handle) {
        if (speculation != null) {
            if (speculatedLive(handle)) {
                diverged.add(handle);
            }
        } else {
            liveOrder.set(handle, 0);
        }
        kmallocLive.remove(handle);
        objectCache.remove(handle);
    }

    /**
     * Whether the speculative table holds {@code handle} live at the record now replayed by {@link #next}: an
     * allocation of that PFN, or a slab allocation of a pointer the table holds as a page block, or a PFN already
     * {@link #diverged}.
     */
    private boolean speculatedLive(long handle) {
        if (diverged.contains(handle)) {
            return true;
        }
        RecordBatch b = batch;
        int i = current;
        if (b == null || i < 0 || i >= b.size) {
            return false;
        }
        int op = b.op[i] & RecordBatch.OP_MASK;
        if (op == RecordBatch.OP_OTHER) {
            return b.aux[i] != 0 && b.other[i].ptr == handle;
        }
        return (op == RecordBatch.OP_ALLOC || op == RecordBatch.OP_STALE) && b.pfn[i] == handle;
    }

    @Override
    public void forEachCounter(io.kmemsim.api.stats.CounterVisitor visitor) {
        replayCounts().forEach(visitor::counter);
    }

    /** What the replay skipped or could not replay, by reason (for the run summary). */
    Map<String, Long> replayCounts() {
        counts.put("replay.records_read", batches == null ? reader.position() : position);
        counts.put("replay.failed_in_trace", failedInTrace + opCount[RecordBatch.OP_FAILED_IN_TRACE]);
        counts.put("replay.pre_existing_frees", preExistingFrees + opCount[RecordBatch.OP_PRE_EXISTING]);
        counts.put("replay.missing_frees", missingFrees + opCount[RecordBatch.OP_STALE]);
        counts.put("replay.not_replayed_internal_events", informational);
        counts.put("replay.order_above_max", orderTooLarge + opCount[RecordBatch.OP_ORDER_TOO_LARGE]);
        counts.put("replay.other_tracepoints", reader.otherEvents());
        counts.put("replay.slab_events_not_replayed", slabNotReplayed);
        counts.put("replay.lost_events_in_trace", reader.lostEvents().values().stream().mapToLong(Long::longValue).sum());
        reader.lostEvents().forEach((cpu, n) -> counts.put("replay.lost_events." + (cpu < 0 ? "no_cpu" : "cpu" + cpu), n));
        reader.skipped().forEach((reason, n) -> counts.put("replay.malformed: " + reason, n));
        return counts;
    }

    @Override
    public void close() {
        if (batches != null) {
            batches.close();
        } else {
            reader.close();
        }
    }
}
