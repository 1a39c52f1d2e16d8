package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.kernel.PageSize;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The text reader's one-pass readers of the common line shape ({@link EventPrefix#fastPrefix},
 * {@link EventFields#pageFields}) against the general ones they stand in front of: on real kernel lines
 * (the 6.1 QEMU oracle traces), on the other layouts the tools print, and on tens of thousands of
 * mutations of them (bytes replaced by the characters the formats turn on, removed, inserted), whenever
 * the fast reader accepts a line the general reader reads it to the same values — and the fast reader
 * does accept the kernel's own lines, so the comparison is not empty. The non-event rules' first-byte
 * filter ({@link NonEventLines#RULE_FIRST_BYTES}) lets every kind of non-event line through to its rule.
 */
class TextFastPathTest {

    private static final Path BUNDLES = Path.of("..", "fixtures", "bundles");
    private static final KernelVersion K61 = KernelVersion.parse("6.1");
    private static final byte[] NASTY = " \t[]():.-_=x0123456789afAF,#<>".getBytes(StandardCharsets.ISO_8859_1);

    /** Lines of other tools and layouts (docs/trace-format.md), and edge values. */
    private static final List<String> OTHER_LAYOUTS = List.of(
            "          <idle>-0       [001] d..2.   123.456789: mm_page_alloc: page=fffffc0000400000 pfn=0x10000 order=0 migratetype=1 gfp_flags=GFP_ATOMIC",
            "       kworker/u8:2-123     [003] ....  5678.000001: mm_page_free: page=ffffea0000400040 pfn=65537 order=3",
            "            bash-4238  [001]  1234.567890: mm_page_alloc: page=ffffea0000400000 pfn=65536 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
            "            bash-4238  ( 4238) [001] ....  1234.567890: mm_page_free: page=ffffea0000400000 pfn=65536 order=0",
            "perf  1234 [002]   100.123456789: kmem:mm_page_alloc: page=0xffffea0000400000 pfn=0x10000 order=1 migratetype=1 gfp_flags=GFP_KERNEL",
            "perf  1234 [002]   100.123456: kmem:mm_page_free: page=0xffffea0000400000 pfn=0x10000 order=1",
            "     Web Content-7777    [000] .N.1. 99999.999999: mm_page_alloc: page=(null) pfn=0 order=0 migratetype=0 gfp_flags=GFP_KERNEL",
            "  a-1 [000] ..... 1.000001: mm_page_alloc: page=fffffc0000400000 pfn=0x10000 order=11 migratetype=0 gfp_flags=GFP_KERNEL",
            "  a-1 [000] ..... 1.000001: mm_page_alloc: page=fffffc0000400000 pfn=0x10000 order=10 migratetype=6 gfp_flags=GFP_KERNEL",
            "  a-1 [000] ..... 1.000001: mm_page_alloc: page=fffffc0000400000 pfn=0x10000000000000 order=1 migratetype=0 gfp_flags=GFP_KERNEL",
            "  a-1 [000] ..... 1.000001: mm_page_alloc: page=fffffc0000400000 pfn=0xfffffffffffff order=1 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COMP,",
            "  a-1 [000] ..... 1.000001: mm_page_free: page=FFFFFC0000400000 pfn=0X10 order=0 ",
            "  a-99999999 [8191] ..... 9999999999.1234567891: mm_page_free: page=0000000000000000 pfn=0x10 order=0",
            "  a-4194304 [8192] ..... 123456789.123456789: mm_page_free: page=0000000000000001 pfn=0x10 order=00",
            "  a-4194305 [0] .....\t1.5:\tmm_page_free: page=1 pfn=1 order=1 extra=1",
            "  swapper/0-0 [000] ..... 1.5: mm_page_free_batched: page=fffffc0000400000 pfn=0x10000 order=0",
            "  swapper/0-0 [000] ..... 1.5: kmalloc: call_site=foo+0x1/0x2 ptr=ffff000012345678 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false");

    @Test
    void fastPrefix_readsWhatThePrefixReaderReads() throws IOException {
        List<String> lines = corpus();
        SplittableRandom random = new SplittableRandom(17);
        int accepted = 0;
        int acceptedMutants = 0;
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            accepted += samePrefix(b) ? 1 : 0;
            for (int m = 0; m < 4; m++) {
                acceptedMutants += samePrefix(mutate(b, random)) ? 1 : 0;
            }
        }
        assertThat(accepted).as("the kernel's own lines take the fast path").isGreaterThan(lines.size() * 9 / 10);
        assertThat(acceptedMutants).as("mutants the fast path accepted (and the general one read the same)").isGreaterThan(1000);
    }

    @Test
    void pageFields_readWhatTheFieldReaderReads() throws IOException {
        int largest = PageOrders.maxOrder(K61, KernelConfig.ARM64_DISTRO.withPageSize(PageSize.SIZE_4K));
        EventFields fields = new EventFields(K61, largest, PageSize.SIZE_4K.hugetlbOrder(),
                TextTraceReader.orderRule(K61, PageSize.SIZE_4K, largest));
        SplittableRandom random = new SplittableRandom(23);
        int pageLines = 0;
        int accepted = 0;
        int acceptedMutants = 0;
        for (String line : corpus()) {
            int name = line.indexOf(": mm_page_");
            if (name < 0) {
                continue;
            }
            String event = line.substring(name + 2);
            TraceEventType type = event.startsWith("mm_page_alloc: ") ? TraceEventType.MM_PAGE_ALLOC
                    : event.startsWith("mm_page_free: ") ? TraceEventType.MM_PAGE_FREE : null;
            if (type == null) {
                continue;
            }
            byte[] b = event.substring(event.indexOf(':') + 1).getBytes(StandardCharsets.UTF_8);
            pageLines++;
            accepted += sameFields(fields, type, b) ? 1 : 0;
            for (int m = 0; m < 4; m++) {
                acceptedMutants += sameFields(fields, type, mutate(b, random)) ? 1 : 0;
            }
        }
        assertThat(pageLines).isGreaterThan(1000);
        assertThat(accepted).as("the kernel's own page events take the fast path").isGreaterThan(pageLines * 9 / 10);
        assertThat(acceptedMutants).isGreaterThan(1000);
    }

    @Test
    void nonEventRules_allSeeTheirLines() {
        List<String> nonEvents = List.of("=> __alloc_pages+0x1/0x2", "<stack trace>", "<user stack trace>",
                "CPU:3 [LOST 12 EVENTS]", "CPU 2 is empty", "cpus=4", "version = 6", "LOST 5 events!", "overrun: 0",
                "commit overrun: 0", "dropped events: 0", "entries: 10", "bytes: 100", "read events: 5",
                "recorded in the trace data.", "now ts: 123.456", "oldest event ts: 1.2", "Kernel buffer statistics:",
                "Note: \"entries\" are the entries left", "Buffer: instance", "CPU0 data recorded at offset=0x1000",
                "------------------------------------------", "    4096 bytes in size", " 1)   0.417 us    |  func();",
                "\tffffffff81234567 func+0x12 ([kernel.kallsyms])", "     aaaa (/usr/lib/libc.so.6)");
        NonEventLines book = new NonEventLines();
        for (String line : nonEvents) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            int i = TraceBytes.skipSpaces(b, 0, b.length);
            assertThat(book.nonEventLine(b, 0, i, b.length)).as(line).isNotNull();
        }
        byte[] event = OTHER_LAYOUTS.get(0).getBytes(StandardCharsets.UTF_8);
        int i = TraceBytes.skipPadding(event, 0, event.length);
        assertThat(book.nonEventLine(event, 0, i, event.length)).isNull();
    }

    /** Whether the fast prefix reader accepted the line; when it did, the general one must agree. */
    private static boolean samePrefix(byte[] b) {
        int n = b.length;
        int i = TraceBytes.skipPadding(b, 0, n);
        if (i != TraceBytes.skipSpaces(b, 0, n)) {
            fail("skipPadding " + i + " != skipSpaces " + TraceBytes.skipSpaces(b, 0, n) + ": " + text(b));
        }
        if (i == n) {
            return false;
        }
        TraceRecord fast = new TraceRecord();
        fast.timeNanos = 77;
        fast.cpu = 77;
        fast.pid = 77;
        int at = EventPrefix.fastPrefix(b, i, n, fast);
        if (at < 0) {
            if (fast.timeNanos != 77 || fast.cpu != 77 || fast.pid != 77) {
                fail("the record was written on a refusal: " + text(b));
            }
            return false;
        }
        TraceRecord general = new TraceRecord();
        int expected = EventPrefix.prefix(b, i, n, general);
        if (at != expected || fast.timeNanos != general.timeNanos || fast.cpu != general.cpu || fast.pid != general.pid) {
            fail("fast prefix at " + at + " time " + fast.timeNanos + " cpu " + fast.cpu + " pid " + fast.pid
                    + ", general at " + expected + " time " + general.timeNanos + " cpu " + general.cpu + " pid "
                    + general.pid + ": " + text(b));
        }
        return true;
    }

    /** Whether the fast field reader accepted {@code b} (what follows "event:"); when it did, the general one must agree. */
    private static boolean sameFields(EventFields fields, TraceEventType type, byte[] b) {
        TraceRecord fast = new TraceRecord();
        fast.reset(type);
        if (!fields.pageFields(b, 0, b.length, fast)) {
            return false;
        }
        TraceRecord general = new TraceRecord();
        general.reset(type);
        String problem = fields.parseFields(b, 0, b.length, general);
        if (problem != null || fast.pfn != general.pfn || fast.order != general.order || fast.migratetype != general.migratetype
                || fast.gfp != general.gfp || fast.ptr != general.ptr) {
            assertThat(problem).as(text(b)).isNull();
            assertThat(fast).as(text(b)).usingRecursiveComparison().isEqualTo(general);
        }
        return true;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static byte[] mutate(byte[] b, SplittableRandom random) {
        byte[] out = b.clone();
        int edits = 1 + random.nextInt(2);
        for (int e = 0; e < edits && out.length > 1; e++) {
            int at = random.nextInt(out.length);
            byte c = NASTY[random.nextInt(NASTY.length)];
            switch (random.nextInt(3)) {
                case 0 -> out[at] = c;
                case 1 -> { // remove
                    byte[] shorter = new byte[out.length - 1];
                    System.arraycopy(out, 0, shorter, 0, at);
                    System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
                    out = shorter;
                }
                default -> { // insert
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = c;
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    /** The event lines of two real 6.1 traces (the first 10,000 of each, and up to 5,000 page events more), and the other layouts. */
    private static List<String> corpus() throws IOException {
        List<String> lines = new ArrayList<>(OTHER_LAYOUTS);
        for (String run : List.of("arm64-3G-6cpu", "amd64-2G-4cpu")) {
            Path trace = BUNDLES.resolve(run).resolve("trace.txt.gz");
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(trace)), StandardCharsets.UTF_8))) {
                String s;
                int taken = 0;
                int pages = 0;
                while ((s = in.readLine()) != null) {
                    if (s.startsWith("#") || !s.contains("]")) {
                        continue;
                    }
                    if (taken++ < 10_000 || s.contains(": mm_page_") && pages++ < 5_000) {
                        lines.add(s);
                    }
                }
            }
        }
        return lines;
    }
}
