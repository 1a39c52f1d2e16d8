package io.kmemsim.engine.trace;

import io.kmemsim.engine.util.PfnBytes;

/**
 * The {@code trace} workload's page rules applied ahead of the replay, on the thread that decodes the batches,
 * as if every allocation succeeded: each record of a batch gets its speculative kind ({@link RecordBatch#op}: an
 * allocation, a free with its order, a stale block to free first, a record failed in the trace, an order above the
 * allocator's, a pre-existing free, or another record type), its replay time and the tick before it. The live-block
 * table here is the trace's assuming success; {@link TraceWorkload} keeps, on the run's thread, the few PFNs whose
 * allocation really failed (live here, not live there) and re-applies the exact rules to their records.
 *
 * <p>Everything here depends only on the records in file order (times, PFNs, orders), never on the simulation, so
 * the translation is the same on either thread and at any speed. Not thread-safe: one thread translates, batch by
 * batch, in file order.
 */
final class TraceWorkloadSpeculation {

    private final int cpus;
    private final int maxOrder;
    private final long tickNanos;
    /** Live page blocks of the trace if every allocation succeeded: PFN → order + 1. */
    private final PfnBytes live = new PfnBytes();
    private long nextTick;
    private long lastTime;

    TraceWorkloadSpeculation(int cpus, int maxOrder, long tickNanos) {
        this.cpus = cpus;
        this.maxOrder = maxOrder;
        this.tickNanos = tickNanos;
        this.nextTick = tickNanos;
    }

    /**
     * Translates the entries of {@code b}. A rule that throws (an order the live table cannot hold) ends the batch
     * there as a read error would: the entries before it stay, the failure follows them.
     */
    void translate(RecordBatch b) {
        final byte[] kinds = b.kind;
        final long[] pfns = b.pfn;
        final byte[] orders = b.order;
        final long[] times = b.time;
        final int[] cpu = b.cpu;
        final byte[] ops = b.op;
        final byte[] aux = b.aux;
        final long[] at = b.at;
        final long tick = tickNanos;
        final PfnBytes table = live;
        final int n = b.size;
        int i = 0;
        try {
            for (; i < n; i++) {
                int kind = kinds[i];
                TraceRecord other = kind == RecordBatch.OTHER ? b.other[i] : null;
                long t = other != null ? other.timeNanos : times[i];
                int op = 0;
                if (tick > 0 && t >= nextTick) {
                    long tickTime = t / tick * tick;
                    nextTick = tickTime + tick;
                    b.tickAt[i] = tickTime;
                    op = RecordBatch.OP_TICK;
                }
                if (t > lastTime) {
                    lastTime = t;
                }
                at[i] = lastTime;
                if (other != null) {
                    // a slab allocation that fails makes the workload forget its pointer as a page block too
                    aux[i] = (byte) (table.get(other.ptr) != 0 ? 1 : 0);
                    ops[i] = (byte) (op | RecordBatch.OP_OTHER);
                    continue;
                }
                int c = cpu[i];
                if (c < 0 || c >= cpus) {
                    cpu[i] = Math.floorMod(c, cpus);
                }
                long pfn = pfns[i];
                if (kind == RecordBatch.PAGE_ALLOC) {
                    int order = orders[i];
                    if (pfn < 0) {
                        op |= RecordBatch.OP_FAILED_IN_TRACE;
                    } else if (order > maxOrder) {
                        op |= RecordBatch.OP_ORDER_TOO_LARGE;
                    } else {
                        int was = table.swap(pfn, order + 1);
                        if (was != 0) {
                            op |= RecordBatch.OP_STALE;
                            aux[i] = (byte) (was - 1);
                        } else {
                            op |= RecordBatch.OP_ALLOC;
                        }
                    }
                } else {
                    int was = table.swap(pfn, 0);
                    if (was == 0) {
                        op |= RecordBatch.OP_PRE_EXISTING;
                    } else {
                        op |= RecordBatch.OP_FREE;
                        aux[i] = (byte) (was - 1);
                    }
                }
                ops[i] = (byte) op;
            }
        } catch (RuntimeException e) {
            b.size = i;
            b.end = false;
            b.failure = e; // before any read error later in the batch
        }
    }
}
