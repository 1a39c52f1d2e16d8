package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.procfs.BuddyinfoParser;
import io.kmemsim.engine.procfs.PagetypeinfoParser;
import io.kmemsim.engine.procfs.ZoneinfoParser;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every reader fed mutated real input: the trace text reader (lines of each kernel and tool), the binary
 * trace reader, and the /proc parsers (the real 6.1 fixtures). Whatever the mutation, a reader either
 * reads or stops with its own input error ({@link InputException}) — never another exception; a number
 * that does not fit is an error, never a wrapped value; and a line costs bounded memory.
 */
class ReaderFuzzPropertyTest {

    /** Real lines, written from the kernels' formats (see TraceVariantsGoldenTest for the sources). */
    static final List<String> LINES = List.of(
            "            init-1       [001] .....    15.630320: mm_page_alloc: page=fffffdf57d0a1e40 pfn=0x42879 order=0 "
                    + "migratetype=2 gfp_flags=GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_RECLAIMABLE",
            "            init-1       [001] .....    15.629387: kmem_cache_alloc: call_site=getname_flags.part.0+0x3c/0x1a0 "
                    + "ptr=ffff7d5f48125000 bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1 accounted=false",
            "            init-1       [001] .....    15.628249: kmem_cache_free: call_site=security_file_free+0x54/0x64 "
                    + "ptr=ffff7d5f42e4e708 name=lsm_file_cache",
            " kworker/u8:2-x-345   [003] d..2   100.000001: mm_page_free: page=00000000deadbeef pfn=18640 order=2",
            "            bash-2179  [000]  1524.567890: mm_page_alloc: page=(null) pfn=0 order=0 migratetype=2 "
                    + "gfp_flags=GFP_HIGHUSER_MOVABLE|GFP_ZERO",
            "          <idle>-0     [001]   220.111111: mm_page_free_direct: page=ffffea00005a0e00 pfn=393280 order=1",
            "         swapper     0 [002]  1234.567890123: kmem:mm_page_alloc: page=0xffffea0000123400 order=3 migratetype=0 "
                    + "gfp_flags=208",
            "a-1 [000] ..... 1.000003: mm_page_alloc_extfrag: page=fffffc0000080000 pfn=0x2000 alloc_order=0 fallback_order=9 "
                    + "pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1",
            "kcompactd0-35 [000] ..... 20.000006: mm_compaction_end: zone_start=0x40000 migrate_pfn=0x40200 free_pfn=0x7fc00 "
                    + "zone_end=0x80000, mode=sync status=complete",
            "kcompactd0-35 [000] ..... 20.000002: mm_compaction_suitable: node=0 zone=Normal   order=-1 ret=continue",
            "      bash-9 [001] ..... 10.000002: mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_HIGHUSER_MOVABLE",
            "            init-1       [001] .....    15.629890: tracing_mark_write: ORACLE: workload_begin",
            "# entries-in-buffer/entries-written: 95685/95685   #P:2",
            "CPU:2 [LOST 120 EVENTS]",
            " 0)   0.417 us    |  kmem_cache_alloc();",
            "\tffffffff8112dd7e free_unref_page+0x1ee ([kernel.kallsyms])",
            " => __alloc_pages+0x1f0/0x2b4",
            // perf trace (builtin-trace.c: "%10.3f ", "comm/tid ", sys:event( + "name: value, …" + ")"), and before 5.4
            "    12.345 (         ): stress ng/4242 kmem:mm_page_alloc(pfn: 1310626, order: 1, gfp_flags: 3264, migratetype: 1)",
            "     0.000 perf/1 kmem:mm_page_free:page=0xffffea0004ffa800 pfn=1310626 order=0",
            "     2.000 bash/77 kmem:kmalloc(call_site: 18446744071581196838, ptr: 0xffff888100a3c000, bytes_req: 100, "
                    + "bytes_alloc: 128, gfp_flags: 3264, node: -1)",
            "LOST 120 events!",
            // perf script --show-lost-events and -D; trace-cmd's buffer statistics
            "            perf  4242 [001]  1234.567890: PERF_RECORD_LOST lost 45",
            "1 1234567890123 0x1a8 [0x30]: PERF_RECORD_LOST: id:5: lost:45",
            "CPU: 1",
            "overrun: 3000",
            "dropped events: 40");

    static final List<String> KERNELS = List.of("2.6.32", "3.10", "4.9", "4.19", "5.10", "6.1", "6.12");

    static final List<String> INSERTS = List.of("0", "9", "x", " ", "=", ":", "[", "]", "(", ")", "|", "-", ".", "0x",
            "\u0000", "\u00ff", "18446744073709551616", "9223372036854775808", "99999999999999999999999", "[007]",
            "GFP_COLD", "__GFP_", "\t", ": mm_page_free: ", "CPU:", "=>", "<stack trace>");

    /** A mutation: what to do where. */
    record Mutation(int kind, int position, int length, String insert) {

        String apply(String s) {
            int p = s.isEmpty() ? 0 : Math.floorMod(position, s.length() + 1);
            int end = Math.min(s.length(), p + length);
            return switch (kind) {
                case 0 -> s.substring(0, p) + insert + s.substring(p);
                case 1 -> s.substring(0, p) + s.substring(end);
                case 2 -> s.substring(0, p) + insert + s.substring(end);
                case 3 -> s.substring(0, p);
                default -> s.substring(0, p) + s.substring(p, end) + s.substring(p, end) + s.substring(end);
            };
        }
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Mutation> m = Combinators.combine(Arbitraries.integers().between(0, 4),
                Arbitraries.integers().between(0, 400), Arbitraries.integers().between(0, 30),
                Arbitraries.of(INSERTS)).as(Mutation::new);
        return m.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> lines() {
        return Arbitraries.of(LINES);
    }

    @Provide
    Arbitrary<String> kernels() {
        return Arbitraries.of(KERNELS);
    }

    private static String mutate(String line, List<Mutation> ms) {
        String s = line;
        for (Mutation m : ms) {
            s = m.apply(s);
        }
        return s;
    }

    @Property(tries = 600)
    void textReader_readsOrRefuses(@ForAll("lines") String line, @ForAll("mutations") List<Mutation> ms,
                                   @ForAll("kernels") String kernel, @ForAll boolean allSystems) {
        String text = mutate(line, ms) + "\n" + LINES.get(0) + "\n";
        TraceReadOptions o = new TraceReadOptions(false, null, null, allSystems);
        try (TraceReader r = TraceFormat.text(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), "t",
                KernelVersion.parse(kernel), o)) {
            TraceRecord rec = new TraceRecord();
            while (r.next(rec)) {
                assertInRange(rec);
            }
        } catch (InputException e) {
            assertThat(e.getMessage()).startsWith("t:").doesNotContain("Exception").doesNotContain("java.");
        }
    }

    @Property(tries = 200)
    void textReader_skipBad_neverThrowsPastTheFileCheck(@ForAll("lines") String line, @ForAll("mutations") List<Mutation> ms) {
        String text = mutate(line, ms) + "\n";
        if (TraceInput.notText(text.getBytes(StandardCharsets.UTF_8)) != null) {
            return; // refused as a whole file ("this is not text"), tested in TraceInputTest
        }
        try (TraceReader r = TraceFormat.text(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t",
                KernelVersion.parse("6.1"), TraceReadOptions.skipBad(true))) {
            TraceRecord rec = new TraceRecord();
            while (r.next(rec)) {
                assertInRange(rec);
            }
        }
    }

    /** What a record may hold after the reader's range checks: nothing wrapped. */
    private static void assertInRange(TraceRecord r) {
        assertThat(r.pfn()).isBetween(-1L, TextTraceReader.PFN_LIMIT - 1);
        assertThat(r.order()).isBetween(-1, TextTraceReader.MAX_ORDER_CEILING);
        assertThat(r.migratetype()).isBetween(-1, 5);
        assertThat(r.cpu()).isBetween(0, TextTraceReader.MAX_CPUS - 1);
        assertThat(r.pid()).isBetween(-1, TextTraceReader.PID_MAX_LIMIT);
        assertThat(r.timeNanos()).isNotNegative();
        assertThat(r.bytesReq()).isBetween(-1L, TextTraceReader.MAX_BYTES);
        assertThat(r.bytesAlloc()).isBetween(-1L, TextTraceReader.MAX_BYTES);
        assertThat(r.node()).isBetween(-1, 1023);
    }

    /** Numbers past every range, in each numeric field of a real line: always an error naming the field. */
    @Property(tries = 100)
    void hugeNumbers_areErrors_neverWraps(@ForAll("hugeFieldLines") String line) {
        String text = line + "\n";
        assertThatThrownBy(() -> {
            try (TraceReader r = TraceFormat.text(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t",
                    KernelVersion.parse("6.1"), TraceReadOptions.DEFAULT)) {
                while (r.next(new TraceRecord())) {
                    // read
                }
            }
        }).isInstanceOf(InputException.class).hasMessageStartingWith("t:1: ");
    }

    @Provide
    Arbitrary<String> hugeFieldLines() {
        String alloc = "a-1 [001] ..... 15.630320: mm_page_alloc: page=fffffdf57d0a1e40 pfn=PFN order=ORDER migratetype=MT "
                + "gfp_flags=GFP";
        String kmalloc = "a-1 [001] ..... 15.6: kmalloc: call_site=x ptr=ffff7d5f48125000 bytes_req=REQ bytes_alloc=ALLOC "
                + "gfp_flags=GFP_KERNEL node=NODE accounted=false";
        Arbitrary<String> huge = Arbitraries.of("18446744073709551616", "9223372036854775808", "0x10000000000000000",
                "99999999999999999999999999999", "4503599627370496");
        Arbitrary<String> field = Arbitraries.of("PFN", "ORDER", "MT", "GFP", "REQ", "ALLOC", "NODE", "CPU", "SECS", "PID");
        return Combinators.combine(field, huge).as((f, h0) -> {
            // the prefix columns are decimal only: a hex "cpu" would just not be a [cpu] column
            String h = h0.startsWith("0x") && (f.equals("CPU") || f.equals("PID") || f.equals("SECS")) ? "18446744073709551616" : h0;
            String base = f.equals("REQ") || f.equals("ALLOC") || f.equals("NODE") ? kmalloc : alloc;
            String gfp = f.equals("GFP") ? (h.startsWith("0x") ? h : "0x" + h) : "GFP_KERNEL";
            String l = base.replace("PFN", f.equals("PFN") ? h : "0x42879").replace("ORDER", f.equals("ORDER") ? h : "0")
                    .replace("MT", f.equals("MT") ? h : "0").replace("GFP_KERNEL", gfp).replace("GFP", gfp)
                    .replace("REQ", f.equals("REQ") ? h : "8").replace("ALLOC", f.equals("ALLOC") ? h : "8")
                    .replace("NODE", f.equals("NODE") ? h : "-1");
            if (f.equals("CPU")) {
                l = l.replace("[001]", "[" + h + "]");
            } else if (f.equals("SECS")) {
                l = l.replace("15.6", h + ".6");
            } else if (f.equals("PID")) {
                l = l.replace("a-1 ", "a-" + h + " ");
            }
            return l;
        });
    }

    /** A line far beyond the cap costs at most the cap in buffer, however long it is. */
    @Property(tries = 20)
    void longLines_boundedBuffer(@ForAll("lengths") int length, @ForAll boolean nul) throws IOException {
        byte[] line = new byte[length];
        java.util.Arrays.fill(line, nul ? (byte) 0 : (byte) 'x');
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(line);
        b.write('\n');
        b.write("next\n".getBytes(StandardCharsets.US_ASCII));
        LineInput in = new LineInput(new ByteArrayInputStream(b.toByteArray()));
        assertThat(in.next()).isTrue();
        assertThat(in.tooLong()).isEqualTo(length > LineInput.MAX_LINE);
        assertThat(in.capacity()).isLessThanOrEqualTo(LineInput.MAX_LINE + 1);
        assertThat(in.next()).isTrue();
        assertThat(new String(in.buf(), in.start(), in.end() - in.start(), StandardCharsets.US_ASCII)).isEqualTo("next");
        assertThat(in.next()).isFalse();
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.of(0, 1, 199, 200, LineInput.MAX_LINE - 1, LineInput.MAX_LINE, LineInput.MAX_LINE + 1, 3_000_000);
    }

    /** The binary reader on a real binary trace with bytes flipped, cut or inserted. */
    @Property(tries = 300)
    void binaryReader_readsOrRefuses(@ForAll("binaryMutation") int[] mutation) {
        byte[] bytes = binaryTrace();
        int pos = Math.floorMod(mutation[0], bytes.length);
        byte[] mutated = switch (mutation[1]) {
            case 0 -> {
                byte[] c = bytes.clone();
                c[pos] = (byte) mutation[2];
                yield c;
            }
            case 1 -> java.util.Arrays.copyOf(bytes, pos);
            default -> {
                byte[] c = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, c, 0, pos);
                c[pos] = (byte) mutation[2];
                System.arraycopy(bytes, pos, c, pos + 1, bytes.length - pos);
                yield c;
            }
        };
        try (TraceReader r = TraceFormat.binary(new ByteArrayInputStream(mutated), "t.bin")) {
            TraceRecord rec = new TraceRecord();
            while (r.next(rec)) {
                assertInRange(rec);
            }
        } catch (InputException e) {
            assertThat(e.getMessage()).startsWith("t.bin").doesNotContain("Exception");
        }
    }

    @Provide
    Arbitrary<int[]> binaryMutation() {
        return Combinators.combine(Arbitraries.integers().between(0, 100_000), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 255)).as((a, b, c) -> new int[] {a, b, c});
    }

    private static byte[] binary;

    private static synchronized byte[] binaryTrace() {
        if (binary == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryTraceWriter w = new BinaryTraceWriter(out, KernelVersion.parse("6.1"));
            String text = String.join("\n", LINES) + "\n";
            try (TraceReader r = TraceFormat.text(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "t",
                    KernelVersion.parse("6.1"), TraceReadOptions.skipBad(true))) {
                TraceRecord rec = new TraceRecord();
                while (r.next(rec)) {
                    w.write(rec);
                }
            }
            w.close();
            binary = out.toByteArray();
        }
        return binary;
    }

    @Provide
    Arbitrary<String> procFiles() {
        return Arbitraries.of("/procfs/buddyinfo-x86-6.1.txt", "/procfs/buddyinfo-x86-2nodes.txt",
                "/procfs/zoneinfo-arm64-6.1.txt", "/procfs/zoneinfo-arm64-5.10.txt", "/procfs/pagetypeinfo-x86-2nodes.txt",
                "/procfs/pagetypeinfo-arm64-dma.txt");
    }

    /** The /proc parsers on their real fixtures with one line mutated. */
    @Property(tries = 400)
    void procParsers_readOrRefuse(@ForAll("procFiles") String file, @ForAll("mutations") List<Mutation> ms,
                                  @ForAll int lineChoice) {
        String text = resource(file);
        String[] lines = text.split("\n", -1);
        int i = Math.floorMod(lineChoice, lines.length);
        lines[i] = mutate(lines[i], ms);
        String mutated = String.join("\n", lines);
        BufferedReader r = new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(mutated.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.UTF_8));
        try {
            if (file.contains("buddyinfo")) {
                BuddyinfoParser.parse(r, "p");
            } else if (file.contains("zoneinfo")) {
                if (lineChoice % 2 == 0) {
                    ZoneinfoParser.parse(r, "p");
                } else {
                    ZoneinfoParser.parseExcerpt(r, "p");
                }
            } else {
                PagetypeinfoParser.parse(r, "p");
            }
        } catch (InputException e) {
            assertThat(e.getMessage()).startsWith("p:").doesNotContain("Exception").doesNotContain("java.");
        }
    }

    private static String resource(String name) {
        try (InputStream in = ReaderFuzzPropertyTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
