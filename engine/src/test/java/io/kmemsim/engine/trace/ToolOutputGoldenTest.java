package io.kmemsim.engine.trace;

import static io.kmemsim.engine.trace.TraceVariantsGoldenTest.read;
import static io.kmemsim.engine.trace.TraceVariantsGoldenTest.reader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.PageSize;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Lines written from the tools' own printing code: perf trace (tools/perf/builtin-trace.c
 * trace__event_handler(), __trace__fprintf_tstamp() "%10.3f ", trace__fprintf_comm_tid() "%.14s/%d ",
 * trace__fprintf_tp_fields() "name: value" joined by ", " with zero values left out,
 * trace__process_event() "LOST %lu events!"), perf script's lost records (tools/perf/util/event.c
 * perf_event__fprintf() "PERF_RECORD_%s" + perf_event__fprintf_lost() " lost %lu"; util/session.c
 * dump_event() "%#lx [%#x]: PERF_RECORD_%s" after evlist__print_tstamp() "%u %lu ", util/machine.c
 * machine__process_lost_event() ": id:%lu: lost:%lu"), trace-cmd's buffer statistics
 * (tracecmd/trace-record.c record_stats() "CPU: %d" + the kernel's per_cpu stats file,
 * kernel/trace/trace.c tracing_stats_read() "overrun: %ld" …; tracecmd/trace-read.c read_data_info()
 * "Kernel buffer statistics:") and ftrace's uncounted notice (kernel/trace/trace.c print_trace_line()
 * "CPU:%d [LOST EVENTS]"). The kmem field values are those of include/trace/events/kmem.h of the
 * version named.
 */
class ToolOutputGoldenTest {

    static TraceRecord one(String line, String kernel) {
        List<TraceRecord> all = read(line + "\n", kernel, new TraceReadOptions(false, null, null, true));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    static String error(String text, String kernel, TraceReadOptions o) {
        try {
            read(text + "\n", kernel, o);
        } catch (io.kmemsim.engine.InputException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }

    @Nested
    @DisplayName("perf trace -e 'kmem:*'")
    class PerfTrace {

        @Test
        @DisplayName("perf 5.5+ raw fields, 6.1 kmem.h mm_page_alloc fields pfn/order/gfp_flags/migratetype, zeros left out")
        void rawFieldsZerosLeftOut() {
            // order 0 and migratetype 0 (MIGRATE_UNMOVABLE) are not printed; gfp_flags is the raw value, %ld
            TraceRecord r = one("     0.000 kmem:mm_page_alloc(pfn: 1310626, gfp_flags: 3264)", "6.1");
            assertThat(r.type()).isEqualTo(TraceEventType.MM_PAGE_ALLOC);
            assertThat(r.pfn()).isEqualTo(1310626);
            assertThat(r.order()).isZero();
            assertThat(r.migratetype()).isZero();
            assertThat(r.gfp()).isEqualTo(Gfp.GFP_KERNEL);
            assertThat(r.timeNanos()).isZero();
        }

        @Test
        @DisplayName("duration column, comm/tid column and milliseconds since the first event")
        void durationAndCommTid() {
            TraceRecord r = one("    12.345 (         ): stress ng/4242 kmem:mm_page_free(pfn: 393280, order: 1)", "6.1");
            assertThat(r.type()).isEqualTo(TraceEventType.MM_PAGE_FREE);
            assertThat(r.pid()).isEqualTo(4242);
            assertThat(r.pfn()).isEqualTo(393280);
            assertThat(r.order()).isEqualTo(1);
            assertThat(r.timeNanos()).isEqualTo(12_345_000L);
        }

        @Test
        @DisplayName("a failed allocation: TP_fast_assign stores -1UL, perf prints it with %ld")
        void failedAllocation() {
            TraceRecord r = one("     1.500 kmem:mm_page_alloc(pfn: -1, order: 3, gfp_flags: 3264, migratetype: 1)", "6.1");
            assertThat(r.pfn()).isEqualTo(-1);
            assertThat(r.order()).isEqualTo(3);
        }

        @Test
        @DisplayName("before 4.2 the event recorded struct page *: a pointer field, a NULL page left out (a failure)")
        void pageEra() {
            // 3.10 gfp.h: GFP_KERNEL = __GFP_WAIT|__GFP_IO|__GFP_FS = 0xd0 = 208
            TraceRecord r = one("     0.250 kmem:mm_page_alloc(page: 0xffffea0000fe6d00, gfp_flags: 208)", "3.10");
            assertThat(r.pfn()).isEqualTo(0xfe6d00L >>> 6);
            assertThat(r.gfp()).isEqualTo(Gfp.GFP_KERNEL);
            TraceRecord f = one("     0.251 kmem:mm_page_alloc(order: 2, gfp_flags: 208)", "3.10");
            assertThat(f.pfn()).isEqualTo(-1);
            TraceRecord z = one("     0.252 kmem:mm_page_free(order: 2)", "6.1");
            assertThat(z.pfn()).isZero(); // 4.2+: pfn 0 left out is pfn 0
        }

        @Test
        @DisplayName("6.1 kmalloc: pointer in hex, call_site decimal, node -1, accounted false left out")
        void kmalloc() {
            TraceRecord r = one("     2.000 bash/77 kmem:kmalloc(call_site: 18446744071581196838, ptr: 0xffff888100a3c000, "
                    + "bytes_req: 100, bytes_alloc: 128, gfp_flags: 3264, node: -1)", "6.1");
            assertThat(r.type()).isEqualTo(TraceEventType.KMALLOC);
            assertThat(r.ptr()).isEqualTo(0xffff888100a3c000L);
            assertThat(r.bytesReq()).isEqualTo(100);
            assertThat(r.bytesAlloc()).isEqualTo(128);
            assertThat(r.accounted()).isZero();
        }

        @Test
        @DisplayName("perf before 5.4 (\"%s:\" then the TP_printk text) and --libtraceevent_print (TP_printk inside ())")
        void printkForms() {
            TraceRecord old = one("     0.000 perf/1 kmem:mm_page_alloc:page=0xffffea0004ffa800 pfn=1310626 order=0 migratetype=0 "
                    + "gfp_flags=GFP_KERNEL", "4.19");
            assertThat(old.pfn()).isEqualTo(1310626);
            TraceRecord lib = one("     0.000 kmem:mm_page_alloc(page=0xffffea0004ffa800 pfn=0x13ffa2 order=0 migratetype=0 "
                    + "gfp_flags=GFP_KERNEL)", "6.1");
            assertThat(lib.pfn()).isEqualTo(0x13ffa2);
            assertThat(lib.gfp()).isEqualTo(Gfp.GFP_KERNEL);
        }

        @Test
        @DisplayName("other tracepoints are counted; LOST %lu events! is a lost-events notice without a CPU")
        void otherAndLost() {
            String text = "     3.000 sched:sched_switch(prev_comm: bash, prev_pid: 77, next_pid: 0)\n"
                    + "LOST 120 events!\n"
                    + "     3.100 kmem:mm_page_free(pfn: 16)\n";
            try (TraceReader r = reader(text, "6.1", TraceReadOptions.DEFAULT)) {
                TraceRecord rec = new TraceRecord();
                assertThat(r.next(rec)).isTrue();
                assertThat(r.next(rec)).isFalse();
                assertThat(r.otherEvents()).isEqualTo(1);
                assertThat(r.lostEvents()).containsExactly(java.util.Map.entry(-1, 120L));
                assertThat(r.lineKinds()).containsEntry(LineKind.LOST_EVENTS, 1L);
            }
        }

        @Test
        @DisplayName("a malformed perf trace event names what was expected")
        void malformed() {
            assertThat(error("     0.000 kmem:mm_page_free(pfn: 16", "6.1", TraceReadOptions.DEFAULT))
                    .contains("t.txt:1: expected a perf trace event like kmem:mm_page_free(pfn: 1234) ending with ')'");
            assertThat(error("     0.000 kmem:mm_page_free(pfn 16)", "6.1", TraceReadOptions.DEFAULT))
                    .contains("expected perf trace's fields like pfn: 1234");
            assertThat(error("     0.000 kmem:mm_page_free(pfn: 99999999999999999999)", "6.1", TraceReadOptions.DEFAULT))
                    .contains("field pfn must be below 2^52");
        }
    }

    @Nested
    @DisplayName("perf script lost records")
    class PerfLost {

        @Test
        @DisplayName("--show-lost-events: PERF_RECORD_LOST lost N after the sample columns, per CPU; other records are side-band")
        void showLostEvents() {
            String text = "            perf  4242 [001]  1234.567890: PERF_RECORD_LOST lost 45\n"
                    + "            perf  4242 [003]  1234.600000: PERF_RECORD_LOST lost 5\n"
                    + "            perf  4242 [001]  1234.700000: PERF_RECORD_LOST lost 10\n"
                    + "            bash  4243 [000]  1234.800000: PERF_RECORD_COMM: bash:4243/4243\n"
                    + "            bash  4243 [000]  1234.900000: kmem:mm_page_free: page=0xffffea0004ffa800 pfn=0x13ffa2 order=0\n";
            try (TraceReader r = reader(text, "6.1", TraceReadOptions.DEFAULT)) {
                TraceRecord rec = new TraceRecord();
                assertThat(r.next(rec)).isTrue();
                assertThat(r.lostEvents()).containsEntry(1, 55L).containsEntry(3, 5L).hasSize(2);
                assertThat(r.lineKinds()).containsEntry(LineKind.LOST_EVENTS, 3L).containsEntry(LineKind.HEADER, 1L);
            }
        }

        @Test
        @DisplayName("perf script -D: CPU TIME OFFSET [SIZE]: PERF_RECORD_LOST: id:N: lost:M, and -1 -1 without a sample id")
        void dump() {
            String text = "1 1234567890123 0x1a8 [0x30]: PERF_RECORD_LOST: id:5: lost:45\n"
                    + "-1 -1 0x1d8 [0x30]: PERF_RECORD_LOST: id:5: lost:7\n";
            try (TraceReader r = reader(text, "6.1", TraceReadOptions.DEFAULT)) {
                assertThat(r.next(new TraceRecord())).isFalse();
                assertThat(r.lostEvents()).containsEntry(1, 45L).containsEntry(-1, 7L);
            }
        }

        @Test
        @DisplayName("a lost record without a count is an input error")
        void malformed() {
            assertThat(error("            perf  4242 [001]  1234.567890: PERF_RECORD_LOST lost many", "6.1", TraceReadOptions.DEFAULT))
                    .contains("expected perf's lost record like PERF_RECORD_LOST lost 120");
        }
    }

    @Nested
    @DisplayName("trace-cmd buffer statistics and ftrace's uncounted notice")
    class TraceCmdStats {

        static final String STATS = String.join("\n",
                "cpus=2",
                "",
                "Kernel buffer statistics:",
                "  Note: \"entries\" are the entries left in the kernel ring buffer and are not",
                "        recorded in the trace data. They should all be zero.",
                "",
                "CPU: 0",
                "entries: 0",
                "overrun: 3000",
                "commit overrun: 0",
                "bytes: 3904",
                "oldest event ts:  5005.213344",
                "now ts:  5019.213398",
                "dropped events: 0",
                "read events: 95685",
                "",
                "CPU: 1",
                "entries: 12",
                "overrun: 0",
                "commit overrun: 0",
                "bytes: 0",
                "oldest event ts:  5005.213400",
                "now ts:  5019.213398",
                "dropped events: 40",
                "read events: 1000",
                "",
                "CPU0 data recorded at offset=0x58e000",
                "    4096 bytes in size",
                "CPU:0 [2000 EVENTS DROPPED]",
                "           <...>-4242  [000]  5006.000000: mm_page_free:         page=0xffffea0004ffa800 pfn=0x13ffa2 order=0",
                "CPU:1 [LOST EVENTS]",
                "");

        @Test
        @DisplayName("per CPU: overrun + commit overrun + dropped events, the larger of that and the notices; entries not lost")
        void perCpu() {
            try (TraceReader r = reader(STATS, "6.1", TraceReadOptions.DEFAULT)) {
                TraceRecord rec = new TraceRecord();
                assertThat(r.next(rec)).isTrue();
                assertThat(r.next(rec)).isFalse();
                assertThat(r.lostEvents()).containsEntry(0, 3000L).containsEntry(1, 40L).hasSize(2);
                assertThat(r.lostUncounted()).isEqualTo(1);
                assertThat(r.lineKinds()).containsEntry(LineKind.HEADER, 24L);
            }
        }

        @Test
        @DisplayName("a statistics value that does not fit is an error naming it")
        void overflow() {
            assertThat(error("CPU: 0\noverrun: 99999999999999999999", "6.1", TraceReadOptions.DEFAULT))
                    .contains("t.txt:2: trace-cmd statistics: overrun does not fit in 64 bits");
        }
    }

    @Nested
    @DisplayName("orders up to the version's MAX_ORDER")
    class Orders {

        static final String ORDER_11 = "a-1 [000] ..... 1.0: mm_page_free: page=0 pfn=0x800 order=11";

        @Test
        @DisplayName("4 KiB pages: 0–10 in every version, the message naming the version's macro")
        void fourK() {
            assertThat(error(ORDER_11, "6.1", TraceReadOptions.DEFAULT))
                    .contains("field order must be in [0, 10]: kernel 6.1 with 4 KiB pages keeps orders 0–10 "
                            + "(MAX_ORDER 11 (exclusive before 6.4), include/linux/mmzone.h)")
                    .contains("--page-size");
            assertThat(error(ORDER_11, "6.4", TraceReadOptions.DEFAULT)).contains("MAX_ORDER 10 (inclusive since 6.4)");
            assertThat(error(ORDER_11, "6.8", TraceReadOptions.DEFAULT)).contains("MAX_PAGE_ORDER 10");
            assertThat(error(ORDER_11, "2.6.32", TraceReadOptions.DEFAULT)).contains("kernel 2.6.32 with 4 KiB pages");
            assertThat(one("a-1 [000] ..... 1.0: mm_page_free: page=0 pfn=0x400 order=10", "6.1").order()).isEqualTo(10);
        }

        @Test
        @DisplayName("arm64 ARCH_FORCE_MAX_ORDER: 16K pages keep 0–11, 64K pages 0–13")
        void arm64LargePages() {
            TraceReadOptions k64 = TraceReadOptions.DEFAULT.withPageSize(PageSize.SIZE_64K);
            assertThat(read(ORDER_11.replace("order=11", "order=13") + "\n", "6.1", k64)).hasSize(1);
            assertThat(error(ORDER_11.replace("order=11", "order=14"), "6.1", k64))
                    .contains("field order must be in [0, 13]: kernel 6.1 with 64 KiB pages keeps orders 0–13");
            TraceReadOptions k16 = TraceReadOptions.DEFAULT.withPageSize(PageSize.SIZE_16K);
            assertThat(read(ORDER_11 + "\n", "6.1", k16)).hasSize(1);
            assertThatThrownBy(() -> read(ORDER_11.replace("order=11", "order=12") + "\n", "6.1", k16))
                    .hasMessageContaining("[0, 11]");
        }
    }
}
