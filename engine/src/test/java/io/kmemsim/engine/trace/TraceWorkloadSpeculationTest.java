package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.workload.Event;
import io.kmemsim.engine.run.PageEventSink;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The page rules applied ahead on the decoding thread ({@link TraceWorkloadSpeculation}, assuming every allocation
 * succeeds) and corrected on the run's thread where an allocation failed give exactly the events and counters of
 * the rules applied record by record: on seeded traces that reuse a small set of PFNs (stale blocks, frees of a PFN
 * whose allocation failed, allocations of it again), with failed-in-trace records, orders above the allocator's,
 * pre-existing frees, ticks, kernel-internal records and slab records (some with pointers equal to live PFNs, so that
 * a failed slab allocation forgets a page block too) in between; a host that fails allocations at a chosen rate;
 * batches of several sizes, decoded on this thread or on a decode thread, pushed or pulled. The counters are compared
 * at every event, so a run stopped anywhere reports the same.
 */
class TraceWorkloadSpeculationTest {

    private static final int CPUS = 3;
    private static final int MAX_ORDER = 10;

    /** Seeded records over {@code pfns} distinct PFNs (few: the same PFN comes back often). */
    private static List<TraceRecord> records(int n, int pfns, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<TraceRecord> out = new ArrayList<>();
        long t = 1_000_000_000L;
        for (int i = 0; i < n; i++) {
            t += r.nextInt(0, 30_000);
            TraceRecord rec = new TraceRecord();
            int what = r.nextInt(100);
            TraceEventType type = what < 45 ? TraceEventType.MM_PAGE_ALLOC : what < 85 ? TraceEventType.MM_PAGE_FREE
                    : what < 88 ? TraceEventType.MM_PAGE_ALLOC_ZONE_LOCKED : what < 93 ? TraceEventType.KMALLOC
                    : what < 96 ? TraceEventType.KMEM_CACHE_ALLOC : TraceEventType.KFREE;
            rec.reset(type);
            rec.timeNanos = t;
            rec.cpu = r.nextInt(6); // beyond the CPU count: wraps
            rec.pid = 1;
            long pfn = 0x100 + r.nextInt(pfns) * 0x10L;
            switch (type) {
                case MM_PAGE_ALLOC -> {
                    int k = r.nextInt(100);
                    rec.pfn = k < 3 ? -1 : pfn;
                    rec.order = k < 5 ? MAX_ORDER + 1 : r.nextInt(5);
                    rec.migratetype = 1;
                    rec.gfp = 0xcc0;
                }
                case MM_PAGE_FREE -> {
                    rec.pfn = r.nextInt(100) < 5 ? 0x9000 + r.nextInt(64) : pfn; // some never allocated
                    rec.order = 0;
                }
                case MM_PAGE_ALLOC_ZONE_LOCKED -> {
                    rec.pfn = pfn;
                    rec.order = 0;
                    rec.migratetype = 1;
                }
                case KMALLOC, KMEM_CACHE_ALLOC -> {
                    // half of the pointers are page PFNs of the trace: a failed slab allocation forgets that block
                    rec.ptr = r.nextBoolean() ? pfn : 0xffff000000000000L | r.nextInt(1 << 20) << 6;
                    rec.bytesReq = 64 + 64 * r.nextInt(3);
                    rec.bytesAlloc = 256;
                    rec.gfp = 0xcc0;
                    rec.node = -1;
                    rec.accounted = 0;
                }
                default -> rec.ptr = r.nextBoolean() ? pfn : 0xffff000000000000L | r.nextInt(1 << 20) << 6;
            }
            out.add(rec);
        }
        return out;
    }

    /** The loop's part: takes the events, fails some allocations (by their sequence number), notes events and counters. */
    private static final class Host implements PageEventSink {

        private final TraceWorkload w;
        private final int failPercent;
        private final List<String> out = new ArrayList<>();
        private long allocations;
        private long failures;

        Host(TraceWorkload w, int failPercent) {
            this.w = w;
            this.failPercent = failPercent;
        }

        private boolean succeeds() {
            long x = ++allocations * 0x9E3779B97F4A7C15L;
            x ^= x >>> 29;
            boolean ok = Long.remainderUnsigned(x * 0xBF58476D1CE4E5B9L, 100) >= failPercent;
            failures += ok ? 0 : 1;
            return ok;
        }

        private void note(String event) {
            StringBuilder sb = new StringBuilder(event).append(" |");
            w.forEachCounter((name, value) -> sb.append(' ').append(name).append('=').append(value));
            out.add(sb.toString());
        }

        @Override
        public boolean pageAlloc(long handle, int order, int gfp, int cpu, long timeNanos) {
            boolean ok = succeeds();
            note("PAGE_ALLOC h=" + handle + " o=" + order + " gfp=" + gfp + " cpu=" + cpu + " pfn=-1 t=" + timeNanos + " ok=" + ok);
            return ok;
        }

        @Override
        public void pageFree(long handle, int order, int cpu, long timeNanos) {
            note("PAGE_FREE h=" + handle + " o=" + order + " cpu=" + cpu + " t=" + timeNanos);
        }

        @Override
        public void tick(long timeNanos) {
            note("TICK t=" + timeNanos);
        }

        void pulled(Event e) {
            switch (e.type()) {
                case PAGE_ALLOC -> {
                    boolean ok = succeeds();
                    note("PAGE_ALLOC h=" + e.handle() + " o=" + e.order() + " gfp=" + e.gfp() + " cpu=" + e.cpu() + " pfn="
                            + e.pfn() + " t=" + e.timeNanos() + " ok=" + ok);
                    if (!ok) {
                        w.allocationFailed(e.handle());
                    }
                }
                case PAGE_FREE -> pageFree(e.handle(), e.order(), e.cpu(), e.timeNanos());
                case TICK -> tick(e.timeNanos());
                case KMALLOC, CACHE_ALLOC -> {
                    boolean ok = succeeds();
                    note(e.type() + " h=" + e.handle() + " size=" + e.size() + " cpu=" + e.cpu() + " t=" + e.timeNanos() + " ok=" + ok);
                    if (!ok) {
                        w.allocationFailed(e.handle());
                    }
                }
                default -> note(e.type() + " h=" + e.handle() + " cpu=" + e.cpu() + " t=" + e.timeNanos());
            }
        }
    }

    /**
     * How the workload is read: decode ("record", "batch", "thread"), batch size, whether page events are pushed, and
     * whether the rules are applied ahead (the default only with a decode thread; asked for here on one thread too).
     */
    private record Way(String decode, int batchSize, boolean push, boolean speculate) {
    }

    private static Host replay(byte[] file, Way way, int failPercent, long tickNanos, boolean slabObjects) {
        BinaryTraceReader reader = new BinaryTraceReader(new ByteArrayInputStream(file), "t.bin", 4096);
        RecordBatches batches = way.decode.equals("record") ? null
                : new RecordBatches(reader, way.decode.equals("thread"), way.batchSize);
        try (TraceWorkload w = new TraceWorkload(reader, batches, TraceWorkload.Mode.POLICY, CPUS, MAX_ORDER, tickNanos,
                slabObjects, way.speculate)) {
            Host host = new Host(w, failPercent);
            Event e = new Event();
            boolean push = way.push && w.pushesPageEvents();
            while (true) {
                if (push) {
                    while (w.pushPageEvents(host)) {
                        // a batch at a time
                    }
                }
                if (!w.next(e)) {
                    break;
                }
                host.pulled(e);
            }
            host.note("end");
            if (!way.decode.equals("record")) {
                assertThat(w.pushesPageEvents()).isTrue();
            }
            return host;
        }
    }

    private static final Way[] WAYS = {
        new Way("batch", 1024, true, false), new Way("thread", 1024, true, true), new Way("batch", 1024, true, true),
        new Way("batch", 7, true, true), new Way("thread", 64, true, true), new Way("batch", 100, false, true),
        new Way("thread", 13, false, true), new Way("thread", 50, true, false),
    };

    private static void sameEachWay(byte[] file, int failPercent, long tickNanos, boolean slabObjects) {
        Host byRecord = replay(file, new Way("record", 0, false, false), failPercent, tickNanos, slabObjects);
        if (failPercent > 0) {
            assertThat(byRecord.failures).as("allocations failed").isGreaterThan(100);
        }
        for (Way way : WAYS) {
            Host h = replay(file, way, failPercent, tickNanos, slabObjects);
            for (int i = 0; i < Math.min(h.out.size(), byRecord.out.size()); i++) {
                if (!h.out.get(i).equals(byRecord.out.get(i))) {
                    assertThat(h.out.subList(Math.max(0, i - 3), i + 1)).as(way + ", event " + i)
                            .isEqualTo(byRecord.out.subList(Math.max(0, i - 3), i + 1));
                }
            }
            assertThat(h.out.size()).as(way.toString()).isEqualTo(byRecord.out.size());
        }
    }

    @Test
    @DisplayName("allocations failing at 30 %: the same events and counters (at every event) as record by record, every way")
    void failures_sameEventsAndCountersEachWay() {
        byte[] file = RecordBatchesTest.write(records(20_000, 40, 3), 2);
        sameEachWay(file, 30, 5_000_000L, false);
        sameEachWay(file, 30, 5_000_000L, true);
    }

    @Test
    @DisplayName("most allocations failing, no ticks, format version 1 (no fixed records): the same each way")
    void mostFail_version1_sameEachWay() {
        byte[] file = RecordBatchesTest.write(records(8_000, 12, 17), 1);
        sameEachWay(file, 85, 0, true);
        sameEachWay(file, 0, 0, true);
    }

    @Test
    @DisplayName("the corrections are exercised: frees of failed PFNs become pre-existing, allocations of them are no stale blocks")
    void failures_changeTheCounts() {
        byte[] file = RecordBatchesTest.write(records(20_000, 40, 3), 2);
        Host none = replay(file, new Way("batch", 1024, true, true), 0, 0, true);
        Host some = replay(file, new Way("batch", 1024, true, true), 30, 0, true);
        long preNone = counter(none, "replay.pre_existing_frees");
        long preSome = counter(some, "replay.pre_existing_frees");
        long staleNone = counter(none, "replay.missing_frees");
        long staleSome = counter(some, "replay.missing_frees");
        assertThat(preSome).as("pre-existing frees with failures").isGreaterThan(preNone + 100);
        assertThat(staleSome).as("stale blocks with failures").isLessThan(staleNone - 100);
    }

    private static long counter(Host h, String name) {
        String last = h.out.get(h.out.size() - 1);
        int at = last.indexOf(" " + name + "=");
        String rest = last.substring(at + name.length() + 2);
        int end = rest.indexOf(' ');
        return Long.parseLong(end < 0 ? rest : rest.substring(0, end));
    }
}
