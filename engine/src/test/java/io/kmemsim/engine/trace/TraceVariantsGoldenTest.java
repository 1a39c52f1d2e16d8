package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One line per variant of every kernel and tool, written from the kernels' format strings (the
 * TP_printk of include/trace/events/kmem.h, vmscan.h and compaction.h of the version named in each
 * test; 6.1 from the format files of the QEMU oracle run, /sys/kernel/tracing/events/&#42;/format) and the
 * tools' own output code (kernel/trace/trace.c and trace_output.c for ftrace, trace-cmd's
 * trace-output.c, perf's builtin-script.c).
 */
class TraceVariantsGoldenTest {

    static List<TraceRecord> read(String text, String kernel, TraceReadOptions o) {
        List<TraceRecord> out = new ArrayList<>();
        try (TraceReader r = reader(text, kernel, o)) {
            out.addAll(TraceRecords.drain(r));
        }
        return out;
    }

    static TraceReader reader(String text, String kernel, TraceReadOptions o) {
        return TraceFormat.text(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t.txt",
                KernelVersion.parse(kernel), o);
    }

    static TraceRecord one(String line, String kernel) {
        List<TraceRecord> all = read(line + "\n", kernel, new TraceReadOptions(false, null, null, true));
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Nested
    @DisplayName("kmem events by kernel version")
    class Kmem {

        @Test
        @DisplayName("2.6.32 kmem.h: mm_page_alloc \"page=%p pfn=%lu order=%d migratetype=%d gfp_flags=%s\", gfpflags.h names")
        void v2_6_32_pageAlloc() {
            TraceRecord r = one("            bash-2179  [000]  1524.567890: mm_page_alloc: page=ffffea0000fe6d28 pfn=1042345 "
                    + "order=0 migratetype=2 gfp_flags=GFP_HIGHUSER_MOVABLE|GFP_ZERO", "2.6.32");
            assertThat(r.type()).isEqualTo(TraceEventType.MM_PAGE_ALLOC);
            assertThat(r.pfn()).isEqualTo(1042345);
            assertThat(r.migratetype()).isEqualTo(2);
            assertThat(r.gfp()).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.ZERO);
        }

        @Test
        @DisplayName("2.6.33–3.2 kmem.h: mm_page_free_direct \"page=%p pfn=%lu order=%d\" and mm_pagevec_free \"… order=0 cold=%d\"")
        void v2_6_33_oldNames() {
            TraceRecord f = one("          <idle>-0     [001]   220.111111: mm_page_free_direct: page=ffffea00005a0e00 pfn=393280 order=1",
                    "2.6.33");
            assertThat(f.type()).isEqualTo(TraceEventType.MM_PAGE_FREE);
            assertThat(f.order()).isEqualTo(1);
            TraceRecord v = one("            make-4242  [002]   220.222222: mm_pagevec_free: page=ffffea00005a0e40 pfn=393281 order=0 cold=1",
                    "3.0");
            assertThat(v.type()).isEqualTo(TraceEventType.MM_PAGE_FREE_BATCHED);
            assertThat(v.pfn()).isEqualTo(393281);
        }

        @Test
        @DisplayName("failed mm_page_alloc in every spelling of a NULL page: (null) ≤ 4.x, 0000000000000000 (%p since 4.15), pfn=0x0 (6.1+)")
        void failedAllocations() {
            assertThat(one("a-1 [000] 1.000000: mm_page_alloc: page=(null) pfn=0 order=9 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
                    "3.10").pfn()).isEqualTo(-1);
            assertThat(one("a-1 [000] d..1 1.000000: mm_page_alloc: page=0000000000000000 pfn=0 order=9 migratetype=1 "
                    + "gfp_flags=GFP_TRANSHUGE", "5.10").pfn()).isEqualTo(-1);
            assertThat(one("a-1 [000] ..... 1.000000: mm_page_alloc: page=0000000000000000 pfn=0x0 order=9 migratetype=1 "
                    + "gfp_flags=GFP_TRANSHUGE", "6.1").pfn()).isEqualTo(-1);
        }

        @Test
        @DisplayName("perf script without page_to_pfn: page= only; x86-64 vmemmap pointer gives the exact PFN, decimal gfp in the 3.x layout")
        void pageOnlyForm() {
            TraceRecord r = one("            bash  2179 [000]  1524.567890: kmem:mm_page_alloc: page=0xffffea0000123400 order=0 "
                    + "migratetype=0 gfp_flags=208", "3.10");
            assertThat(r.pfn()).isEqualTo(0x123400 / 64);
            assertThat(r.gfp()).isEqualTo(Gfp.GFP_KERNEL);
            TraceRecord free = one("            bash  2179 [000]  1524.567891: kmem:mm_page_free: page=0xffffea0000123400 order=0", "3.10");
            assertThat(free.pfn()).isEqualTo(r.pfn());
        }

        @Test
        @DisplayName("4.15+ early-boot hashed pointer \"(____ptrval____)\" with a decimal pfn (lib/vsprintf.c ptr_to_id)")
        void hashedPointer() {
            TraceRecord r = one("       swapper/0-1     [000] ....     0.100000: mm_page_free: page=(____ptrval____) pfn=262144 order=10",
                    "4.19");
            assertThat(r.pfn()).isEqualTo(262144);
            assertThat(r.order()).isEqualTo(10);
        }

        @Test
        @DisplayName("4.9 ftrace: __GFP_REPEAT and __GFP_COLD, latency flags column")
        void v4_9_gfp() {
            TraceRecord r = one("        khugepaged-45    [003] ....   812.004500: mm_page_alloc: page=ffffea0002b3e000 pfn=2830208 order=9 "
                    + "migratetype=1 gfp_flags=GFP_TRANSHUGE|__GFP_REPEAT", "4.9");
            assertThat(r.gfp()).isEqualTo(Gfp.GFP_TRANSHUGE | Gfp.RETRY_MAYFAIL);
        }

        @Test
        @DisplayName("6.1 kmem.h (oracle format files): mm_page_free_batched \"page=%p pfn=0x%lx order=0\", kmalloc with node= and accounted=")
        void v6_1() {
            assertThat(one("            init-1       [001] .....    15.630320: mm_page_free_batched: page=fffffdf57d0a1e40 pfn=0x42879 order=0",
                    "6.1").pfn()).isEqualTo(0x42879);
            TraceRecord k = one("            init-1       [001] .....    15.629387: kmalloc: call_site=getname_flags.part.0+0x3c/0x1a0 "
                    + "ptr=ffff7d5f48125000 bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1 accounted=false", "6.1");
            assertThat(k.bytesAlloc()).isEqualTo(4096);
            assertThat(k.node()).isEqualTo(-1);
            assertThat(k.accounted()).isZero();
        }

        @Test
        @DisplayName("trace-cmd report: no flags column, event name padded after the colon")
        void traceCmd() {
            TraceRecord r = one("            bash-1234  [001]  5678.123456: mm_page_alloc:        page=0xffffea0000123400 pfn=74560 "
                    + "order=0 migratetype=0 gfp_flags=GFP_KERNEL", "5.10");
            assertThat(r.pfn()).isEqualTo(74560);
        }

        @Test
        @DisplayName("latency format (options/latency-format, trace_output.c lat_print_timestamp): CPU#flags and time in us")
        void latencyFormat() {
            TraceRecord r = one("    bash-4238    1d..2   12us+: mm_page_free: page=ffffea00005a0e00 pfn=393280 order=1", "3.10");
            assertThat(r.cpu()).isEqualTo(1);
            assertThat(r.pid()).isEqualTo(4238);
            assertThat(r.timeNanos()).isEqualTo(12_000L);
            TraceRecord s = one("  <idle>-0       0d.h3 1234.567us : mm_page_alloc: page=(null) pfn=0 order=0 migratetype=0 "
                    + "gfp_flags=GFP_ATOMIC", "3.10");
            assertThat(s.cpu()).isZero();
            assertThat(s.timeNanos()).isEqualTo(1_234_567L);
            assertThat(s.pfn()).isEqualTo(-1);
        }

        @Test
        @DisplayName("perf script -F cpu,time,event,trace (no comm/tid) and -F comm,tid,time,event,trace (no cpu)")
        void perfWithoutColumns() {
            TraceRecord noComm = one("[002]  1234.567890: kmem:mm_page_free: page=0xfffffc0000001000 pfn=0x40 order=0", "6.1");
            assertThat(noComm.cpu()).isEqualTo(2);
            assertThat(noComm.pid()).isEqualTo(-1);
            TraceRecord noCpu = one("            bash  1234  1234.567890: kmem:mm_page_free: page=0xfffffc0000001000 pfn=0x40 order=0", "6.1");
            assertThat(noCpu.pid()).isEqualTo(1234);
            assertThat(noCpu.pfn()).isEqualTo(0x40);
        }
    }

    @Nested
    @DisplayName("vmscan and compaction events")
    class Reclaim {

        @Test
        @DisplayName("6.1 vmscan.h: kswapd_wake, wakeup_kswapd, direct_reclaim_begin/end, lru_shrink_inactive")
        void vmscan() {
            String text = String.join("\n",
                    "   kswapd0-70 [000] ..... 10.000001: mm_vmscan_kswapd_wake: nid=0 order=3",
                    "      bash-9 [001] ..... 10.000002: mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_HIGHUSER_MOVABLE",
                    "      bash-9 [001] ..... 10.000003: mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE",
                    "   kswapd0-70 [000] ..... 10.000004: mm_vmscan_lru_shrink_inactive: nid=0 nr_scanned=32 nr_reclaimed=32 nr_dirty=0 "
                            + "nr_writeback=0 nr_congested=0 nr_immediate=0 nr_activate_anon=0 nr_activate_file=0 nr_ref_keep=0 "
                            + "nr_unmap_fail=0 priority=12 flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC",
                    "      bash-9 [001] ..... 10.000005: mm_vmscan_direct_reclaim_end: nr_reclaimed=32",
                    "   kswapd0-70 [000] ..... 10.000006: mm_vmscan_kswapd_sleep: nid=0") + "\n";
            List<TraceRecord> rs = read(text, "6.1", new TraceReadOptions(false, null, null, true));
            assertThat(rs).extracting(TraceRecord::type).containsExactly(TraceEventType.MM_VMSCAN_KSWAPD_WAKE,
                    TraceEventType.MM_VMSCAN_WAKEUP_KSWAPD, TraceEventType.MM_VMSCAN_DIRECT_RECLAIM_BEGIN,
                    TraceEventType.MM_VMSCAN_LRU_SHRINK_INACTIVE, TraceEventType.MM_VMSCAN_DIRECT_RECLAIM_END,
                    TraceEventType.MM_VMSCAN_KSWAPD_SLEEP);
            assertThat(rs.get(0).order()).isEqualTo(3);
            assertThat(rs.get(0).node()).isZero();
            assertThat(rs.get(1).gfp()).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
            // the replay's reader (kmem only) counts them without returning them
            try (TraceReader r = reader(text, "6.1", TraceReadOptions.DEFAULT)) {
                assertThat(r.next(new TraceRecord())).isFalse();
                assertThat(r.reclaimEvents()).containsEntry(TraceEventType.MM_VMSCAN_KSWAPD_WAKE, 1L).hasSize(6);
            }
        }

        @Test
        @DisplayName("6.1 compaction.h (oracle format files): begin/end with \"zone_end=0x%lx, mode=%s\", suitable with order=-1, kcompactd")
        void compaction() {
            String text = String.join("\n",
                    "kcompactd0-35 [000] ..... 20.000001: mm_compaction_kcompactd_wake: nid=0 order=9 classzone_idx=Normal  ",
                    "kcompactd0-35 [000] ..... 20.000002: mm_compaction_suitable: node=0 zone=Normal   order=-1 ret=continue",
                    "kcompactd0-35 [000] ..... 20.000003: mm_compaction_begin: zone_start=0x40000 migrate_pfn=0x40000 "
                            + "free_pfn=0x7fe00 zone_end=0x80000, mode=sync",
                    "kcompactd0-35 [000] ..... 20.000004: mm_compaction_isolate_migratepages: range=(0x40000 ~ 0x40200) nr_scanned=512 nr_taken=32",
                    "kcompactd0-35 [000] ..... 20.000005: mm_compaction_migratepages: nr_migrated=32 nr_failed=0",
                    "kcompactd0-35 [000] ..... 20.000006: mm_compaction_end: zone_start=0x40000 migrate_pfn=0x40200 free_pfn=0x7fc00 "
                            + "zone_end=0x80000, mode=sync status=complete",
                    "kcompactd0-35 [000] ..... 20.000007: mm_compaction_try_to_compact_pages: order=9 gfp_mask=GFP_TRANSHUGE priority=2",
                    "kcompactd0-35 [000] ..... 20.000008: mm_compaction_defer_compaction: node=0 zone=Normal   order=9 order_failed=9 "
                            + "consider=0 limit=2") + "\n";
            List<TraceRecord> rs = read(text, "6.1", new TraceReadOptions(false, null, null, true));
            assertThat(rs).hasSize(8);
            assertThat(rs.get(1).order()).isEqualTo(-1);
            assertThat(rs.get(0).type().system()).isEqualTo("compaction");
        }
    }

    @Nested
    @DisplayName("lines around the events, by kind")
    class NonEventLines {

        private Map<LineKind, Long> kinds(String text) {
            try (TraceReader r = reader(text, "6.1", TraceReadOptions.DEFAULT)) {
                TraceRecord rec = new TraceRecord();
                while (r.next(rec)) {
                    // drain
                }
                return r.lineKinds();
            }
        }

        @Test
        @DisplayName("ftrace header block of 5.x (4 flag columns) and 6.x (5 columns, kernel/trace/trace.c print_func_help_header_irq)")
        void headers() {
            String text = String.join("\n",
                    "# tracer: nop", "#", "# entries-in-buffer/entries-written: 3/3   #P:4", "#",
                    "#                                _-----=> irqs-off/BH-disabled",
                    "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION",
                    "#              | |         |   |||||     |         |",
                    "#                              _-----=> irqs-off",
                    "#           TASK-PID   CPU#  ||||    TIMESTAMP  FUNCTION",
                    "") + "\n";
            assertThat(kinds(text)).containsEntry(LineKind.HEADER, 9L).containsEntry(LineKind.BLANK, 1L);
        }

        @Test
        @DisplayName("trace-cmd report headers: cpus=, version =, CPU n is empty")
        void traceCmdHeaders() {
            assertThat(kinds("version = 6\ncpus=4\nCPU 3 is empty\n")).containsEntry(LineKind.HEADER, 3L);
        }

        @Test
        @DisplayName("stacktrace option: <stack trace> after an event prefix and => frames (kernel/trace/trace_output.c trace_stack_print)")
        void stackTrace() {
            String text = "            bash-1234  [001] ..... 12.000001: <stack trace>\n"
                    + " => __alloc_pages+0x1f0/0x2b4\n => alloc_pages+0x8c/0x100\n"
                    + "            bash-1234  [001] ..... 12.000002: <user stack trace>\n => <00007f0123456789>\n";
            assertThat(kinds(text)).containsEntry(LineKind.STACK_TRACE, 2L).containsEntry(LineKind.STACK_FRAME, 3L);
        }

        @Test
        @DisplayName("function_graph: duration lines, nesting, separators, task switches, funcgraph-abstime")
        void functionGraph() {
            String text = String.join("\n",
                    " 0)   0.417 us    |  kmem_cache_alloc();",
                    " 0)               |  do_sys_open() {",
                    " 0) + 12.345 us   |  }",
                    " ------------------------------------------",
                    " 0)    bash-1234    =>    sshd-567   ",
                    " 1234.567890 |   0)   0.417 us    |  kmem_cache_alloc();") + "\n";
            assertThat(kinds(text)).containsEntry(LineKind.FUNCTION_GRAPH, 6L);
        }

        @Test
        @DisplayName("function_graph prints trace events as comments (trace_functions_graph.c print_graph_comment): read as events")
        void functionGraphEvents() {
            String text = String.join("\n",
                    " 1)               |  __alloc_pages() {",
                    " 1)               |  /* mm_page_alloc: page=fffffc0000123400 pfn=0x48d0 order=0 migratetype=1 "
                            + "gfp_flags=GFP_HIGHUSER_MOVABLE */",
                    " 1)   2.125 us    |  }",
                    " 1234.567890 |   2)               |  /* mm_page_free: page=fffffc0000123400 pfn=0x48d0 order=0 */") + "\n";
            List<TraceRecord> rs = read(text, "6.1", TraceReadOptions.DEFAULT);
            assertThat(rs).extracting(TraceRecord::type).containsExactly(TraceEventType.MM_PAGE_ALLOC, TraceEventType.MM_PAGE_FREE);
            assertThat(rs.get(0).cpu()).isEqualTo(1);
            assertThat(rs.get(0).gfp()).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE);
            assertThat(rs.get(1).cpu()).isEqualTo(2);
            assertThat(rs.get(1).timeNanos()).isEqualTo(1234_567890_000L);
            assertThat(kinds(text)).containsEntry(LineKind.FUNCTION_GRAPH, 2L).containsEntry(LineKind.EVENT, 2L);
        }

        @Test
        @DisplayName("perf script -g callchain frames and the blank line after each sample")
        void perfCallchain() {
            String text = "         swapper     0 [002]  1234.567890: kmem:mm_page_free: page=0xfffffc0000001000 pfn=0x40 order=0\n"
                    + "\tffffffff8112dd7e free_unref_page+0x1ee ([kernel.kallsyms])\n"
                    + "\t    7f1234567890 malloc+0x20 (/usr/lib/x86_64-linux-gnu/libc.so.6)\n"
                    + "\t               0 [unknown] ([unknown])\n\n";
            Map<LineKind, Long> k = kinds(text);
            assertThat(k).containsEntry(LineKind.CALLCHAIN_FRAME, 3L).containsEntry(LineKind.BLANK, 1L)
                    .containsEntry(LineKind.EVENT, 1L);
        }

        @Test
        @DisplayName("lost events: ftrace CPU:N [LOST M EVENTS], trace-cmd [M EVENTS DROPPED] / [EVENTS DROPPED], header overrun")
        void lostEvents() {
            String text = "# entries-in-buffer/entries-written: 100/150   #P:4\n"
                    + "CPU:2 [LOST 120 EVENTS]\nCPU:1 [7 EVENTS DROPPED]\nCPU:2 [LOST 3 EVENTS]\nCPU:0 [EVENTS DROPPED]\n";
            try (TraceReader r = reader(text, "6.1", TraceReadOptions.DEFAULT)) {
                while (r.next(new TraceRecord())) {
                    // drain
                }
                // the header's 50 overwritten are among the 130 the notices report: not counted twice
                assertThat(r.lostEvents()).containsEntry(2, 123L).containsEntry(1, 7L).doesNotContainKey(-1);
                assertThat(r.lostUncounted()).isEqualTo(1);
                assertThat(r.lineKinds()).containsEntry(LineKind.LOST_EVENTS, 4L);
            }
            String more = "# entries-in-buffer/entries-written: 100/300   #P:4\nCPU:2 [LOST 120 EVENTS]\nCPU:1 [7 EVENTS DROPPED]\n";
            try (TraceReader r = reader(more, "6.1", TraceReadOptions.DEFAULT)) {
                while (r.next(new TraceRecord())) {
                    // drain
                }
                // 200 overwritten, 127 of them reported per CPU: the other 73 have no CPU
                assertThat(r.lostEvents()).containsEntry(2, 120L).containsEntry(1, 7L).containsEntry(-1, 73L);
            }
        }

        @Test
        @DisplayName("markers: ftrace tracing_mark_write, trace-cmd print, perf ftrace:print buf=; --from-marker/--to-marker window")
        void markers() {
            String text = String.join("\n",
                    "a-1 [000] ..... 1.000001: mm_page_free: page=0 pfn=0x10 order=0",
                    "a-1 [000] ..... 1.000002: tracing_mark_write: ORACLE: phase dd_begin",
                    "a-1 [000] ..... 1.000003: mm_page_free: page=0 pfn=0x11 order=0",
                    "a-1 [000]  1.000004: print:                tracing_mark_write: phase dd_end",
                    "a-1 [000] ..... 1.000005: mm_page_free: page=0 pfn=0x12 order=0",
                    "a 1 [000] 1.000006: ftrace:print: ip=0xffffffff8113ba10 buf=hello") + "\n";
            try (TraceReader r = reader(text, "6.1", TraceReadOptions.DEFAULT)) {
                while (r.next(new TraceRecord())) {
                    // drain
                }
                assertThat(r.markers()).extracting(TraceMarker::text)
                        .containsExactly("ORACLE: phase dd_begin", "phase dd_end", "hello");
                assertThat(r.markers().get(0).timeNanos()).isEqualTo(1_000_002_000L);
            }
            List<TraceRecord> window = read(text, "6.1", new TraceReadOptions(false, "dd_begin", "dd_end", false));
            assertThat(window).extracting(TraceRecord::pfn).containsExactly(0x11L);
            assertThatThrownBy(() -> read(text, "6.1", new TraceReadOptions(false, "nope", null, false)))
                    .isInstanceOf(InputException.class)
                    .hasMessageContaining("no trace marker contains \"nope\"")
                    .hasMessageContaining("\"ORACLE: phase dd_begin\"");
        }
    }

    @Nested
    @DisplayName("malformed lines and numbers that do not fit")
    class Malformed {

        private String error(String line, String kernel) {
            try {
                read(line + "\n", kernel, TraceReadOptions.DEFAULT);
            } catch (InputException e) {
                String m = e.getMessage();
                assertThat(m).startsWith("t.txt:1: ").doesNotContain("Exception").doesNotContain("java.");
                return m;
            }
            throw new AssertionError("no error for " + line);
        }

        @Test
        @DisplayName("a line that is no kind of trace line says what was expected and shows the line")
        void garbage() {
            assertThat(error("hello world", "6.1")).contains(TextTraceReader.NOT_A_TRACE_LINE).contains("line: hello world");
        }

        @Test
        @DisplayName("pfn 2^64 is an error naming the field, not 0")
        void pfnOverflow() {
            assertThat(error("a-1 [000] ..... 1.0: mm_page_free: page=0 pfn=18446744073709551616 order=0", "6.1"))
                    .contains("field pfn must be below 2^52").contains("18446744073709551616");
            assertThat(error("a-1 [000] ..... 1.0: mm_page_free: page=0 pfn=0x10000000000000 order=0", "6.1"))
                    .contains("field pfn must be below 2^52");
        }

        @Test
        @DisplayName("order 2^63 does not fit; order 17 is above every MAX_ORDER; migratetype 99 is above MIGRATE_TYPES")
        void orderAndMigratetype() {
            assertThat(error("a-1 [000] ..... 1.0: mm_page_free: page=0 pfn=0x10 order=9223372036854775808", "6.1"))
                    .contains("field order does not fit in 64 bits");
            assertThat(error("a-1 [000] ..... 1.0: mm_page_free: page=0 pfn=0x10 order=17", "6.1"))
                    .contains("field order must be in [0, 10]: kernel 6.1 with 4 KiB pages keeps orders 0–10 (MAX_ORDER 11 (exclusive before 6.4)");
            assertThat(error("a-1 [000] ..... 1.0: mm_page_alloc: page=0 pfn=0x10 order=0 migratetype=99 gfp_flags=GFP_KERNEL", "6.1"))
                    .contains("field migratetype must be below MIGRATE_TYPES (6 in kernel 6.1): 99");
            assertThat(error("a-1 [000] 1.0: mm_page_alloc: page=0 pfn=16 order=0 migratetype=5 gfp_flags=GFP_KERNEL", "3.0"))
                    .contains("MIGRATE_TYPES (5 in kernel 3.0)");
        }

        @Test
        @DisplayName("cpu, pid, node, timestamp and sizes are range checked")
        void otherRanges() {
            assertThat(error("a-1 [9999] ..... 1.0: mm_page_free: page=0 pfn=0x10 order=0", "6.1")).contains("CPU number below 8192");
            assertThat(error("a-99999999 [000] ..... 1.0: mm_page_free: page=0 pfn=0x10 order=0", "6.1")).contains("PID_MAX_LIMIT");
            assertThat(error("a-1 [000] ..... 99999999999999999999.0: mm_page_free: page=0 pfn=0x10 order=0", "6.1"))
                    .contains("timestamp does not fit");
            assertThat(error("a-1 [000] ..... 1.0: kmalloc: call_site=x ptr=ffff0000 bytes_req=99999999999999999999 bytes_alloc=8 "
                    + "gfp_flags=GFP_KERNEL", "6.1")).contains("field bytes_req does not fit in 64 bits");
            assertThat(error("a-1 [000] ..... 1.0: kmalloc: call_site=x ptr=ffff0000 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL "
                    + "node=5000", "6.1")).contains("node below 1024");
        }

        @Test
        @DisplayName("an old gfp name under the default kernel names the kernels that print it")
        void gfpOfAnotherKernel() {
            assertThat(error("a-1 [000] 1.0: mm_page_alloc: page=(null) pfn=16 order=0 migratetype=0 gfp_flags=GFP_KERNEL|GFP_COLD", "6.1"))
                    .contains("GFP_COLD is printed by kernels 2.6.32–4.14, not by kernel 6.1");
        }

        @Test
        @DisplayName("a line longer than the cap is refused with its length, shown cut, and the next line still reads")
        void longLine() {
            String longLine = "x".repeat(300_000);
            String text = longLine + "\na-1 [000] ..... 1.0: mm_page_free: page=0 pfn=0x10 order=0\n";
            assertThatThrownBy(() -> read(text, "6.1", TraceReadOptions.DEFAULT))
                    .hasMessageContaining("t.txt:1: line is 300000 bytes long").hasMessageContaining("[…cut]");
            try (TraceReader r = reader(text, "6.1", TraceReadOptions.skipBad(true))) {
                TraceRecord rec = new TraceRecord();
                assertThat(r.next(rec)).isTrue();
                assertThat(rec.pfn()).isEqualTo(0x10);
                assertThat(rec.lineNumber()).isEqualTo(2);
            }
        }
    }
}
