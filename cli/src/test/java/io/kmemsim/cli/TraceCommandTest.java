package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trace stats} and {@code replay} on real and broken input, through the real CLI. */
class TraceCommandTest {

    /** A real bench trace (Debian 6.1 arm64, 1 GiB, 2 CPUs), gzipped as committed. */
    private static final String BENCH = Path.of("..", "fixtures", "bundles", "arm64-1G-2cpu-sysctl", "trace.txt.gz").toString();

    @TempDir
    Path dir;

    @Test
    @DisplayName("trace stats on the real gzipped 6.1 trace: strict, with line kinds and the oracle's markers")
    void statsOfBenchTrace() {
        Cli c = Cli.run("trace", "stats", BENCH);
        assertThat(c.status()).as(c.err()).isZero();
        assertThat(c.out()).contains("events: 95671").contains("mm_page_alloc                       18064")
                .contains("lines by kind (95697 lines)").contains("markers: 14").contains("ORACLE: phase dd_begin");
        Cli window = Cli.run("trace", "stats", BENCH, "--from-marker", "phase dd_begin", "--to-marker", "phase dd_removed");
        assertThat(window.status()).as(window.err()).isZero();
        assertThat(window.out()).contains("events outside the marker window").contains("events: 54115");
    }

    @Test
    @DisplayName("input errors exit 2 with file:line and no Java class name: garbage, UTF-16, overflow, unknown marker")
    void inputErrors() throws IOException {
        Path garbage = dir.resolve("g.txt");
        Files.writeString(garbage, "# tracer: nop\nthis is not a trace line\n");
        assertError(Cli.run("trace", "stats", garbage.toString()), garbage + ":2: expected an event line");

        Path utf16 = dir.resolve("u.txt");
        Files.write(utf16, "\uFEFF# tracer: nop\n".getBytes(StandardCharsets.UTF_16LE));
        assertError(Cli.run("trace", "stats", utf16.toString()), utf16 + ": this is not text: looks like UTF-16");

        Path wrap = dir.resolve("w.txt");
        Files.writeString(wrap, "a-1 [000] ..... 1.0: mm_page_free: page=0 pfn=18446744073709551616 order=0\n");
        assertError(Cli.run("trace", "stats", wrap.toString()), wrap + ":1: field pfn must be below 2^52");

        assertError(Cli.run("trace", "stats", BENCH, "--from-marker", "no such phase"), "no trace marker contains \"no such phase\"");
        assertError(Cli.run("replay", garbage.toString(), "--no-results"), garbage + ":2: expected an event line");
    }

    @Test
    @DisplayName("--page-size sets the largest order (arm64 ARCH_FORCE_MAX_ORDER); an old kernel's stats use its own names")
    void pageSizeAndOldNames() throws IOException {
        Path t = dir.resolve("o13.txt");
        Files.writeString(t, "a-1 [000] ..... 1.0: mm_page_free: page=0 pfn=0x2000 order=13\n");
        assertError(Cli.run("trace", "stats", t.toString()), t + ":1: field order must be in [0, 10]: kernel 6.1 with 4 KiB pages");
        Cli ok = Cli.run("trace", "stats", t.toString(), "--page-size", "64K");
        assertThat(ok.status()).as(ok.err()).isZero();
        assertThat(ok.out()).contains(String.format("%-6d %14d %14d", 13, 0, 1)); // the order table's row
        assertError(Cli.run("trace", "stats", t.toString(), "--page-size", "8K"), "page size must be 4K, 16K or 64K: 8K");

        // 3.10 (include/trace/events/kmem.h TP_printk, gfpflags.h names): migratetype 1 is Reclaimable there
        Path old = dir.resolve("v3.txt");
        Files.writeString(old, "  a-40 [000] 100.000001: mm_page_alloc: page=ffffea0000fe6d00 pfn=260532 order=0 migratetype=1 "
                + "gfp_flags=GFP_TEMPORARY|GFP_NOWARN\n");
        Cli stats = Cli.run("trace", "stats", old.toString(), "--kernel", "3.10");
        assertThat(stats.status()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("Reclaimable").contains("GFP_TEMPORARY|GFP_NOWARN");
    }

    private static void assertError(Cli c, String message) {
        assertThat(c.status()).as(c.out() + c.err()).isEqualTo(2);
        assertThat(c.err()).contains(message).doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    @DisplayName("replay --mode exact warns when the trace lost events, and replays a marker window")
    void exactReplayWarnsOfLostEvents() throws IOException {
        Path t = dir.resolve("lost.txt");
        Files.writeString(t, String.join("\n",
                "# tracer: nop",
                "CPU:1 [LOST 7 EVENTS]",
                "a-1 [001] ..... 1.000001: tracing_mark_write: start",
                "a-1 [001] ..... 1.000002: mm_page_alloc: page=fffffc0000123400 pfn=0x48d0 order=0 migratetype=1 "
                        + "gfp_flags=GFP_HIGHUSER_MOVABLE",
                "a-1 [001] ..... 1.000003: tracing_mark_write: stop",
                "a-1 [001] ..... 1.000004: mm_page_free: page=fffffc0000123400 pfn=0x48d0 order=0") + "\n");
        Cli c = Cli.run("replay", t.toString(), "--mode", "exact", "--from-marker", "start", "--to-marker", "stop", "--no-results");
        assertThat(c.status()).as(c.err()).isZero();
        assertThat(c.err()).contains("warning: the trace lost 7 event(s) (CPU 1: 7)").contains("--mode exact cannot reproduce");
        assertThat(c.out()).contains("pages      1 allocated, 0 failed, 0 freed");
    }
}
