package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.engine.InputException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Golden lines of every variant the reference documents (include/trace/events/kmem.h: TRACE_EVENT(mm_page_alloc) (6.1); kernel/trace/trace_output.c: trace_print_context() (6.1), include/trace/events/kmem.h: TRACE_EVENT(kmalloc) (6.1)),
 * written by hand from the formats.
 */
class TraceReadersTest {

    private static final KernelVersion V6_1 = KernelVersion.parse("6.1");
    private static final KernelVersion V5_10 = KernelVersion.parse("5.10");

    private static List<TraceRecord> read(String text, KernelVersion k) {
        List<TraceRecord> out = new ArrayList<>();
        try (TraceReader r = TraceFormat.text(new BufferedReader(new StringReader(text)), "t.txt", k, false)) {
            out.addAll(TraceRecords.drain(r));
        }
        return out;
    }

    private static TraceRecord one(String line, KernelVersion k) {
        List<TraceRecord> all = read(line + "\n", k);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    @Test
    @DisplayName("6.1 ftrace: hex pfn, five-character irq-flags column, gfp names")
    void ftrace61_pageAlloc() {
        TraceRecord r = one("            bash-1234    [001] ..... 12345.678901: mm_page_alloc: page=fffffc0000123400 "
                + "pfn=0x48d0 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO", V6_1);
        assertThat(r.type()).isEqualTo(TraceEventType.MM_PAGE_ALLOC);
        assertThat(r.pid()).isEqualTo(1234);
        assertThat(r.cpu()).isEqualTo(1);
        assertThat(r.timeNanos()).isEqualTo(12345_678901_000L);
        assertThat(r.pfn()).isEqualTo(0x48d0);
        assertThat(r.order()).isZero();
        assertThat(r.migratetype()).isEqualTo(1);
        assertThat(r.gfp()).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.ZERO);
    }

    @Test
    @DisplayName("5.10 ftrace: decimal pfn, four-character flags, comm with a slash and dash")
    void ftrace510_decimalPfn() {
        TraceRecord r = one(" kworker/u8:2-x-345   [003] d..2   100.000001: mm_page_free: page=00000000deadbeef pfn=18640 order=2", V5_10);
        assertThat(r.type()).isEqualTo(TraceEventType.MM_PAGE_FREE);
        assertThat(r.pid()).isEqualTo(345);
        assertThat(r.pfn()).isEqualTo(18640);
        assertThat(r.order()).isEqualTo(2);
    }

    @Test
    @DisplayName("trace-cmd report without the flags column, and the record-tgid column")
    void traceCmd_noFlags_andTgid() {
        TraceRecord r = one("          <idle>-0     [000]  1234.567890: mm_page_free_batched: page=fffffc0000001000 pfn=0x40 order=0", V6_1);
        assertThat(r.type()).isEqualTo(TraceEventType.MM_PAGE_FREE_BATCHED);
        assertThat(r.pid()).isZero();
        assertThat(r.pfn()).isEqualTo(0x40);
        TraceRecord t = one("            bash-1234    (   1234) [001] ..... 5.000001: mm_page_free: page=fffffc0000001000 pfn=0x40 order=1", V6_1);
        assertThat(t.pid()).isEqualTo(1234);
        assertThat(t.order()).isEqualTo(1);
    }

    @Test
    @DisplayName("perf script: comm and pid in separate columns, kmem: prefix, 0x page pointer")
    void perfScript() {
        TraceRecord r = one("         swapper     0 [002]  1234.567890123: kmem:mm_page_alloc: page=0xfffffc0000001000 "
                + "pfn=0x40 order=3 migratetype=0 gfp_flags=GFP_ATOMIC|__GFP_NOWARN", V6_1);
        assertThat(r.cpu()).isEqualTo(2);
        assertThat(r.timeNanos()).isEqualTo(1234_567890123L);
        assertThat(r.order()).isEqualTo(3);
        assertThat(r.gfp()).isEqualTo(Gfp.gfpAtomic(V6_1) | Gfp.NOWARN);
    }

    @Test
    @DisplayName("a failed mm_page_alloc (NULL page, pfn 0) reads as pfn -1; gfp may be hex")
    void failedAlloc_andHexGfp() {
        TraceRecord r = one("a-1 [000] ..... 1.000000: mm_page_alloc: page=0000000000000000 pfn=0x0 order=9 migratetype=1 "
                + "gfp_flags=0x1c24ca", V6_1);
        assertThat(r.pfn()).isEqualTo(-1);
        assertThat(r.gfp()).isEqualTo(Gfp.GFP_TRANSHUGE);
    }

    @Test
    @DisplayName("zone_locked, pcpu_drain and extfrag carry their extra fields")
    void zoneLockedDrainExtfrag() {
        List<TraceRecord> rs = read(String.join("\n",
                "a-1 [000] ..... 1.000001: mm_page_alloc_zone_locked: page=fffffc0000040000 pfn=0x1000 order=0 migratetype=1 percpu_refill=1",
                "a-1 [000] ..... 1.000002: mm_page_pcpu_drain: page=fffffc0000040000 pfn=0x1000 order=0 migratetype=1",
                "a-1 [000] ..... 1.000003: mm_page_alloc_extfrag: page=fffffc0000080000 pfn=0x2000 alloc_order=0 fallback_order=9 "
                        + "pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1",
                "a-1 [000] ..... 1.000004: sched_switch: prev_comm=a prev_pid=1"), V6_1);
        assertThat(rs).extracting(TraceRecord::type).containsExactly(TraceEventType.MM_PAGE_ALLOC_ZONE_LOCKED,
                TraceEventType.MM_PAGE_PCPU_DRAIN, TraceEventType.MM_PAGE_ALLOC_EXTFRAG);
        assertThat(rs.get(0).percpuRefill()).isEqualTo(1);
        TraceRecord e = rs.get(2);
        assertThat(e.order()).isZero();
        assertThat(e.fallbackOrder()).isEqualTo(9);
        assertThat(e.pageblockOrder()).isEqualTo(9);
        assertThat(e.fallbackMigratetype()).isEqualTo(1);
        assertThat(e.fragmenting()).isZero();
        assertThat(e.changeOwnership()).isEqualTo(1);
    }

    @Test
    @DisplayName("slab events of 6.1 (node=, accounted=, name=), 5.10 (no node), the _node variants and kfree(NULL)")
    void slabEvents() {
        List<TraceRecord> rs = read(String.join("\n",
                "a-1 [000] ..... 1.000001: kmalloc: call_site=alloc_pipe_info+0x4c/0x180 ptr=ffff000012345600 bytes_req=40 "
                        + "bytes_alloc=64 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true",
                "a-1 [000] ..... 1.000002: kfree: call_site=skb_release_data+0x1a0/0x200 [nf_tables] ptr=0000000000000000",
                "a-1 [000] ..... 1.000003: kmem_cache_free: call_site=__d_free+0x10/0x20 ptr=ffff000012345680 name=dentry",
                "a-1 [000] ..... 1.000004: kmem_cache_alloc: call_site=d_alloc+0x10/0x20 ptr=ffff000012345680 bytes_req=192 "
                        + "bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false"), V6_1);
        assertThat(rs.get(0).ptr()).isEqualTo(0xffff000012345600L);
        assertThat(rs.get(0).bytesReq()).isEqualTo(40);
        assertThat(rs.get(0).bytesAlloc()).isEqualTo(64);
        assertThat(rs.get(0).accounted()).isEqualTo(1);
        assertThat(rs.get(1).type()).isEqualTo(TraceEventType.KFREE);
        assertThat(rs.get(1).ptr()).isZero();
        assertThat(rs.get(2).cacheName()).isEqualTo("dentry");
        assertThat(rs.get(3).accounted()).isZero();

        TraceRecord old = one("a-1 [000] .... 1.000001: kmalloc_node: call_site=ffffffff81234567 ptr=ffff888012345600 "
                + "bytes_req=40 bytes_alloc=64 gfp_flags=GFP_KERNEL node=0", V5_10);
        assertThat(old.type()).isEqualTo(TraceEventType.KMALLOC);
        assertThat(old.node()).isZero();
        assertThat(old.accounted()).isEqualTo(-1);
    }

    @Test
    @DisplayName("a malformed line stops reading with file:line, the line and what was expected")
    void malformedLine_namesFileLineAndExpectation() {
        String text = "# tracer: nop\na-1 [000] ..... 1.000001: mm_page_alloc: page=0 pfn=zz order=0 migratetype=1 gfp_flags=GFP_KERNEL\n";
        assertThatThrownBy(() -> read(text, V6_1))
                .isInstanceOf(InputException.class)
                .hasMessage("t.txt:2: field pfn must be a decimal or 0x-hex number: \"zz\"; line: "
                        + "a-1 [000] ..... 1.000001: mm_page_alloc: page=0 pfn=zz order=0 migratetype=1 gfp_flags=GFP_KERNEL");
    }

    @Test
    @DisplayName("--skip-bad counts malformed lines by reason and goes on")
    void skipBad_countsByReason() {
        String text = String.join("\n",
                "garbage without a cpu column",
                "a-1 [000] ..... 1.000001: mm_page_free: page=0 pfn=0x10 order=0",
                "a-1 [000] ..... 1.000002: mm_page_free: page=0 pfn=0x10",
                "also garbage") + "\n";
        try (TraceReader r = TraceFormat.text(new BufferedReader(new StringReader(text)), "t.txt", V6_1, true)) {
            TraceRecord rec = new TraceRecord();
            int n = 0;
            while (r.next(rec)) {
                n++;
            }
            assertThat(n).isEqualTo(1);
            assertThat(r.skipped()).containsEntry(TextTraceReader.NOT_A_TRACE_LINE, 2L)
                    .containsEntry("expected pfn= (or page=) and order= fields of mm_page_free", 1L);
        }
    }

    @Test
    @DisplayName("text -> binary -> read gives the same records")
    void binaryRoundTrip() {
        String text = String.join("\n",
                "a-1 [000] ..... 1.000001: mm_page_alloc: page=fffffc0000040000 pfn=0x1000 order=2 migratetype=0 gfp_flags=GFP_KERNEL",
                "a-1 [001] ..... 1.000005: mm_page_alloc: page=0000000000000000 pfn=0x0 order=9 migratetype=1 gfp_flags=GFP_TRANSHUGE",
                "a-1 [000] ..... 1.000003: mm_page_alloc_extfrag: page=fffffc0000080000 pfn=0x2000 alloc_order=0 fallback_order=9 "
                        + "pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1",
                "a-1 [002] ..... 2.000000: kmem_cache_free: call_site=x+0x1/0x2 ptr=ffff000012345680 name=dentry",
                "a-1 [002] ..... 2.000001: kmem_cache_free: call_site=x+0x1/0x2 ptr=ffff000012345700 name=dentry",
                "a-1 [002] ..... 2.000002: kmalloc: call_site=x+0x1/0x2 ptr=ffff000012345600 bytes_req=40 bytes_alloc=64 "
                        + "gfp_flags=GFP_KERNEL node=-1 accounted=false",
                "a-1 [003] ..... 3.000000: mm_page_free: page=fffffc0000040000 pfn=0x1000 order=2") + "\n";
        List<TraceRecord> fromText = read(text, V6_1);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (BinaryTraceWriter w = new BinaryTraceWriter(bytes, V6_1)) {
            fromText.forEach(w::write);
        }
        List<TraceRecord> fromBinary = new ArrayList<>();
        try (TraceReader r = TraceFormat.binary(new ByteArrayInputStream(bytes.toByteArray()), "t.bin")) {
            TraceRecord rec = new TraceRecord();
            while (r.next(rec)) {
                TraceRecord c = new TraceRecord();
                c.copyFrom(rec);
                c.lineNumber = 0;
                fromBinary.add(c);
            }
        }
        fromText.forEach(t -> t.lineNumber = 0);
        fromText.forEach(t -> t.callSite = 0); // the call_site identity is read from text only: binary records do not keep it
        assertThat(fromBinary).usingRecursiveFieldByFieldElementComparator().isEqualTo(fromText);
        assertThat(bytes.size()).isLessThan(text.length() / 4);
    }

    @Test
    @DisplayName("the ftrace writer's lines read back as the same events, per version")
    void writerOutput_readsBack() {
        for (KernelVersion k : List.of(V5_10, V6_1, KernelVersion.parse("6.12"))) {
            StringWriter sw = new StringWriter();
            long[] now = {1_500_000_000L};
            try (FtraceTextWriter w = new FtraceTextWriter(sw, k, () -> now[0])) {
                w.header(8);
                w.pageAlloc(0x1234, 3, MigrateType.MOVABLE, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.COMP, 7);
                now[0] += 1_000;
                w.pageFree(0x1234, 3, 7);
                w.kmalloc(0xffff800008123456L, 0xffff000000400000L, 40, 64, Gfp.GFP_KERNEL, 0);
                w.kmemCacheFree(0xffff800008123456L, 0xffff000000400100L, "dentry", 1);
            }
            List<TraceRecord> rs = read(sw.toString(), k);
            assertThat(rs).extracting(TraceRecord::type).containsExactly(TraceEventType.MM_PAGE_ALLOC,
                    TraceEventType.MM_PAGE_FREE, TraceEventType.KMALLOC, TraceEventType.KMEM_CACHE_FREE);
            assertThat(rs.get(0).pfn()).isEqualTo(0x1234);
            assertThat(rs.get(0).cpu()).isEqualTo(7);
            assertThat(rs.get(0).gfp()).isEqualTo(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.COMP);
            assertThat(rs.get(1).timeNanos()).isEqualTo(1_500_001_000L);
            assertThat(rs.get(3).cacheName()).isEqualTo(k.atLeast(5, 12) ? "dentry" : null);
        }
        StringWriter sw = new StringWriter();
        try (FtraceTextWriter w = new FtraceTextWriter(sw, V6_1, () -> 12_345_678_901_000L)) {
            w.pageAlloc(0x48d0, 0, MigrateType.MOVABLE, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.ZERO, 1);
        }
        assertThat(sw.toString()).isEqualTo("       kmemsim-1-2       [001] ..... 12345.678901: mm_page_alloc: "
                + "page=fffffc0000123400 pfn=0x48d0 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO\n");
    }
}
