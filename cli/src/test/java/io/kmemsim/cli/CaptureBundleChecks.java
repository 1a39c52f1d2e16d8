package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Checks of a bundle written by {@code kmemsim-capture} inside the bench (run.sh -w), shared by the live
 * bench test and the test of the committed fixture, and the writer of that fixture.
 *
 * <p>The bench runs its own kmem trace (top-level tracefs buffer) the whole time, while the capture traces
 * into its own tracefs instance; both use the {@code global} clock, so the bench's trace is an independent
 * record of the same kernel events the capture's trace must hold.
 */
final class CaptureBundleChecks {

    /** The files every capture with {@code -c -K} writes, bench names first. */
    static final List<String> FILES = List.of("dmesg.txt", "uname.txt", "nproc.txt", "cmdline.txt", "cpuinfo.txt",
            "iomem.txt", "numa_nodes.txt", "thp_settings.txt", "sysctl_vm_all.txt", "vm.min_free_kbytes.txt",
            "vm.watermark_scale_factor.txt", "vm.watermark_boost_factor.txt", "vm.lowmem_reserve_ratio.txt",
            "vm.percpu_pagelist_high_fraction.txt", "vm.extfrag_threshold.txt", "vm.compaction_proactiveness.txt",
            "vm.zone_reclaim_mode.txt", "vm.page_lock_unfairness.txt", "vm.overcommit_memory.txt",
            "buddyinfo.before.txt", "pagetypeinfo.before.txt", "zoneinfo.before.txt", "vmstat.before.txt",
            "meminfo.before.txt", "slabinfo.before.txt",
            "buddyinfo.after.txt", "pagetypeinfo.after.txt", "zoneinfo.after.txt", "vmstat.after.txt",
            "meminfo.after.txt", "slabinfo.after.txt",
            "buddyinfo.compacted.txt", "pagetypeinfo.compacted.txt", "zoneinfo.compacted.txt", "vmstat.compacted.txt",
            "trace_stats.txt", "trace_events_enabled.txt", "trace_buffer_size_kb.txt", "trace_clock.txt",
            "trace_available_kmem_events.txt", "formats/kmem.mm_page_alloc.format", "capture_info.txt", "timeline.txt");

    /** The capture's markers, in the order it writes them (with -K). */
    static final List<String> MARKERS = List.of("KMEMSIM: before_snapshot_taken tracing_on", "KMEMSIM: kpageflags_begin",
            "KMEMSIM: kpageflags_end", "KMEMSIM: workload_begin", "KMEMSIM: workload_end",
            "KMEMSIM: after_snapshot tracing_off");

    /** The kmem events both the bench and the capture trace (6.1). */
    static final java.util.Set<String> KMEM = java.util.Set.of("mm_page_alloc", "mm_page_free", "mm_page_free_batched",
            "mm_page_alloc_zone_locked", "mm_page_pcpu_drain", "mm_page_alloc_extfrag", "kmalloc", "kfree",
            "kmem_cache_alloc", "kmem_cache_free");

    /** One ftrace text line: task-pid, [cpu], flags, timestamp, event, fields. */
    static final Pattern LINE = Pattern.compile("^\\s*(.+?-\\d+)\\s+\\[(\\d+)]\\s+\\S+\\s+(\\d+\\.\\d+): (\\w+): (.*)$");

    record Event(double ts, String key, String name) {
    }

    private CaptureBundleChecks() {
    }

    /** The trace at {@code base} ({@code base.gz} if that is what exists), as events, markers included. */
    static List<Event> events(Path base) throws IOException {
        Path gz = base.resolveSibling(base.getFileName() + ".gz");
        List<Event> out = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(Files.exists(base) ? base : gz);
             InputStream in = Files.exists(base) ? raw : new GZIPInputStream(raw);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String l;
            while ((l = r.readLine()) != null) {
                Matcher m = LINE.matcher(l);
                if (!l.startsWith("#") && m.matches()) {
                    out.add(new Event(Double.parseDouble(m.group(3)),
                            m.group(1) + " [" + m.group(2) + "] " + m.group(4) + ": " + m.group(5).strip(), m.group(4)));
                }
            }
        }
        return out;
    }

    /** The file set, the markers in order, a loss-free ring buffer, the wrapper's exit status. */
    static void checkBundle(Path b) throws IOException {
        for (String f : FILES) {
            assertThat(b.resolve(f)).as(f).isNotEmptyFile();
        }
        assertThat(b.resolve("zoneinfo.boot.txt")).doesNotExist();
        assertThat(b.resolve("trace_lost.txt")).doesNotExist();
        String info = Files.readString(b.resolve("capture_info.txt"));
        assertThat(info).contains("kernel: 6.1.", "(instance kmemsim-capture-", "command_status: 0",
                "kpageflags: yes", "compacted: yes", "trace_lost_events: no");
        assertThat(Files.readString(b.resolve("trace_stats.txt")))
                .contains("== cpu0", "overrun: 0", "dropped events: 0").doesNotContainPattern("overrun: [1-9]|dropped events: [1-9]");
        assertThat(Files.readString(b.resolve("trace_clock.txt"))).contains("[global]");
        List<Event> events = events(b.resolve("trace.txt"));
        assertThat(events.stream().filter(e -> e.name().equals("tracing_mark_write"))
                .map(e -> e.key().substring(e.key().indexOf("tracing_mark_write: ") + 20)).toList())
                .containsExactlyElementsOf(MARKERS);
        assertThat(events.stream().filter(e -> e.name().equals("mm_page_alloc")).count()).isGreaterThan(1000);
        assertThat(Files.readString(b.resolve("trace_events_enabled.txt"))).contains("kmem:mm_page_alloc_extfrag\n",
                "kmem:kmem_cache_free\n", "compaction:mm_compaction_begin\n", "vmscan:mm_vmscan_kswapd_wake\n");
    }

    /** Pages flagged KPF_BUDDY (bit 10) in a /proc/kpageflags dump ({@code base} or {@code base.gz}). */
    static long buddyPages(Path kpageflags) throws IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes(kpageflags)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long n = 0;
        while (buf.remaining() >= 8) {
            n += (buf.getLong() >>> 10) & 1;
        }
        return n;
    }

    /** One past the highest PFN of any zone in a zoneinfo file (start_pfn + spanned). */
    static long endPfn(Path zoneinfo) throws IOException {
        Map<String, String> start = zoneField(zoneinfo, "start_pfn:");
        Map<String, String> spanned = zoneField(zoneinfo, "spanned");
        long end = 0;
        for (Map.Entry<String, String> e : start.entrySet()) {
            long s = Long.parseLong(e.getValue().split(" ")[1]);
            long n = Long.parseLong(spanned.get(e.getKey()).split(" ")[1]);
            end = Math.max(end, s + n);
        }
        return end;
    }

    /** Pages per memory section with 4 KiB pages on arm64 and x86-64 in 6.1 (SECTION_SIZE_BITS 27). */
    static final long PAGES_PER_SECTION = 1L << (27 - 12);

    /**
     * The /proc/kpageflags dumps: one 8-byte entry per PFN up to the last zone's end rounded up to a whole
     * memory section ({@code fs/proc/page.c: get_max_dump_pfn()}, 6.1 with SPARSEMEM), and in the after dump
     * (read right after the after snapshot, tracing off) the KPF_BUDDY pages. 6.1 sets KPF_BUDDY on every page
     * of a free block ({@code fs/proc/page.c: stable_page_flags()}), so they count the buddy free pages;
     * returns after-dump KPF_BUDDY pages minus buddyinfo.after's free pages.
     */
    static long kpageflagsVsBuddyinfo(Path b) throws IOException {
        long entries = bytes(b.resolve("kpageflags.before.bin")).length / 8;
        long end = endPfn(b.resolve("zoneinfo.before.txt"));
        assertThat(entries).isEqualTo((end + PAGES_PER_SECTION - 1) / PAGES_PER_SECTION * PAGES_PER_SECTION);
        assertThat(bytes(b.resolve("kpageflags.after.bin")).length / 8).isEqualTo(entries);
        return buddyPages(b.resolve("kpageflags.after.bin")) - buddyFree(b.resolve("buddyinfo.after.txt"));
    }

    /**
     * The buddy free-page change from the before to the after snapshot that the trace does not explain:
     * actual minus (−zone_locked + pcpu_drain + frees of order > 3 other than the pageblock order, which bypass
     * the per-CPU lists; the bench's check_balance.py rule, 6.1 {@code mm/page_alloc.c: free_unref_page()} /
     * {@code pcp_allowed_order()}). Zero means the snapshots and the trace line up exactly.
     */
    static long balanceResidual(Path b) throws IOException {
        long actual = buddyFree(b.resolve("buddyinfo.after.txt")) - buddyFree(b.resolve("buddyinfo.before.txt"));
        Pattern order = Pattern.compile("order=(\\d+)");
        long predicted = 0;
        for (Event e : events(b.resolve("trace.txt"))) {
            if (!e.name().equals("mm_page_alloc_zone_locked") && !e.name().equals("mm_page_pcpu_drain")
                    && !e.name().equals("mm_page_free")) {
                continue;
            }
            Matcher m = order.matcher(e.key());
            assertThat(m.find()).as(e.key()).isTrue();
            int o = Integer.parseInt(m.group(1));
            switch (e.name()) {
                case "mm_page_alloc_zone_locked" -> predicted -= 1L << o;
                case "mm_page_pcpu_drain" -> predicted += 1L << o;
                default -> predicted += o > 3 && o != 9 ? 1L << o : 0;
            }
        }
        return actual - predicted;
    }

    static long buddyFree(Path buddyinfo) throws IOException {
        long pages = 0;
        for (String l : Files.readAllLines(buddyinfo)) {
            String[] p = l.trim().split("\\s+");
            for (int i = 4; i < p.length; i++) {
                pages += Long.parseLong(p[i]) << (i - 4);
            }
        }
        return pages;
    }

    /** Per zone ("Node 0, zone DMA"), the first line starting with {@code field} in a zoneinfo file. */
    static Map<String, String> zoneField(Path zoneinfo, String field) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        String zone = null;
        for (String l : Files.readAllLines(zoneinfo)) {
            if (l.startsWith("Node ")) {
                zone = l.replaceAll("\\s+", " ");
            } else if (zone != null && l.trim().startsWith(field) && !out.containsKey(zone)) {
                out.put(zone, l.trim().replaceAll("\\s+", " "));
            }
        }
        return out;
    }

    /**
     * The capture against the bench's own files of the same boot ({@code bench}: the run directory, or the
     * fixture's bench-same-run copy) and the bench's trace ({@code benchTrace}).
     */
    static void checkAgainstBench(Path b, Path bench, Path benchTrace) throws IOException {
        for (String f : List.of("uname.txt", "nproc.txt", "cmdline.txt", "sysctl_vm_all.txt", "thp_settings.txt")) {
            assertThat(b.resolve(f)).as(f + " equals the bench's").hasSameTextualContentAs(bench.resolve(f));
        }
        String memory = Files.readAllLines(bench.resolve("dmesg.txt")).stream().filter(l -> l.contains("] Memory: "))
                .findFirst().orElseThrow();
        assertThat(Files.readString(b.resolve("dmesg.txt"))).contains(memory);
        if (Files.exists(bench.resolve("zoneinfo.before.txt"))) {
            for (String field : List.of("managed", "protection:", "spanned", "present")) {
                assertThat(zoneField(b.resolve("zoneinfo.before.txt"), field)).as(field)
                        .isEqualTo(zoneField(bench.resolve("zoneinfo.before.txt"), field)).isNotEmpty();
            }
        }
        // every kernel event of the capture's trace is in the bench's, and the bench's events of the capture's
        // time span are in the capture's; 1 ms of slack at each end, as each buffer stamps its own copy
        // the kmem events only: the bench does not enable the vmscan and compaction events the capture takes
        List<Event> capture = events(b.resolve("trace.txt")).stream().filter(e -> KMEM.contains(e.name())).toList();
        double t0 = capture.stream().mapToDouble(Event::ts).min().orElseThrow();
        double t1 = capture.stream().mapToDouble(Event::ts).max().orElseThrow();
        Map<String, Integer> benchAll = new HashMap<>();
        Map<String, Integer> benchInner = new HashMap<>();
        for (Event e : events(benchTrace)) {
            if (!KMEM.contains(e.name()) || e.ts() < t0 - 0.001 || e.ts() > t1 + 0.001) {
                continue;
            }
            benchAll.merge(e.key(), 1, Integer::sum);
            if (e.ts() > t0 + 0.001 && e.ts() < t1 - 0.001) {
                benchInner.merge(e.key(), 1, Integer::sum);
            }
        }
        Map<String, Integer> captured = new HashMap<>();
        List<String> notInBench = new ArrayList<>();
        for (Event e : capture) {
            captured.merge(e.key(), 1, Integer::sum);
            if (benchAll.merge(e.key(), -1, Integer::sum) < 0) {
                notInBench.add(e.key());
            }
        }
        assertThat(notInBench).as("capture events the bench's trace does not have").isEmpty();
        List<String> notCaptured = new ArrayList<>();
        benchInner.forEach((k, n) -> {
            if (captured.getOrDefault(k, 0) < n) {
                notCaptured.add(k);
            }
        });
        assertThat(notCaptured).as("bench events inside the capture's span that the capture lacks").isEmpty();
        assertThat(capture.size()).isGreaterThan(5000);
    }

    /**
     * Writes the fixture fixtures/bundles/capture-arm64-SIZE from a bench run directory whose {@code capture/}
     * holds the bundle: text files as they are, the trace and the kpageflags dumps gzipped, and in
     * {@code bench-same-run/} the bench's own small files and its trace over the capture's span.
     */
    static void writeFixture(Path run, Path fixture) throws IOException {
        Path b = run.resolve("capture");
        Files.createDirectories(fixture);
        try (Stream<Path> files = Files.walk(b)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path rel = b.relativize(f);
                String name = rel.getFileName().toString();
                Path to = fixture.resolve(rel.toString());
                Files.createDirectories(to.getParent());
                if (name.equals("trace.txt") || name.endsWith(".bin")) {
                    gzip(f, to.resolveSibling(name + ".gz"));
                } else {
                    Files.copy(f, to);
                }
            }
        }
        Path bench = fixture.resolve("bench-same-run");
        Files.createDirectories(bench);
        for (String f : List.of("run_info.txt", "uname.txt", "nproc.txt", "cmdline.txt", "sysctl_vm_all.txt",
                "thp_settings.txt", "dmesg.txt", "zoneinfo.before.txt", "capture_status.txt", "capture_run.txt")) {
            Files.copy(run.resolve(f), bench.resolve(f));
        }
        List<Event> capture = events(b.resolve("trace.txt"));
        double t0 = capture.stream().mapToDouble(Event::ts).min().orElseThrow() - 0.002;
        double t1 = capture.stream().mapToDouble(Event::ts).max().orElseThrow() + 0.002;
        Path benchTrace = Files.exists(run.resolve("trace.txt")) ? run.resolve("trace.txt") : run.resolve("trace.txt.gz");
        try (InputStream raw = Files.newInputStream(benchTrace);
             InputStream in = benchTrace.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
             OutputStream gz = new GZIPOutputStream(Files.newOutputStream(bench.resolve("trace-window.txt.gz")));
             Writer w = new java.io.OutputStreamWriter(gz, StandardCharsets.UTF_8)) {
            w.write("# the bench's own trace (top-level buffer) from " + t0 + " to " + t1 + " s, the capture's span +-2 ms\n");
            String l;
            while ((l = r.readLine()) != null) {
                Matcher m = LINE.matcher(l);
                if (!l.startsWith("#") && m.matches()) {
                    double ts = Double.parseDouble(m.group(3));
                    if (ts >= t0 && ts <= t1) {
                        w.write(l);
                        w.write('\n');
                    }
                }
            }
        }
    }

    private static void gzip(Path from, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(from); OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            in.transferTo(out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The bytes of {@code base} or, when only that exists, of {@code base.gz} unpacked. */
    static byte[] bytes(Path base) throws IOException {
        if (Files.exists(base)) {
            return Files.readAllBytes(base);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(base.resolveSibling(base.getFileName() + ".gz")))) {
            return in.readAllBytes();
        }
    }
}
