package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped {@code kmemsim-capture} script run by dash and by busybox sh (each when found) against a fake
 * {@code /proc}, {@code /sys} and tracefs tree, through the script's test hooks ({@code KMEMSIM_CAPTURE_PROC},
 * {@code _SYS}, {@code _TRACEFS}, {@code _UID}). The fake {@code /proc} files are the real arm64 6.1 kernel's,
 * from the committed capture bundle. The fake tracefs has no {@code instances} directory, so the script uses
 * the top-level buffer and must put back every setting it changed. Busybox runs with a PATH of its own applets
 * only, so the script is checked to need nothing else.
 */
class CaptureScriptTest {

    /** The real kernel files the fake /proc is made of. */
    static final Path REAL = Path.of("../fixtures/bundles/capture-arm64-1G");

    static final List<String> NEEDED = List.of("mm_page_alloc", "mm_page_free", "mm_page_free_batched",
            "mm_page_alloc_zone_locked", "mm_page_pcpu_drain", "mm_page_alloc_extfrag", "kmalloc", "kfree",
            "kmem_cache_alloc", "kmem_cache_free");

    static final List<String> APPLETS = List.of("sh", "cat", "sed", "grep", "awk", "ls", "mkdir", "rmdir", "date",
            "uname", "nproc", "tr", "head", "wc", "du", "cut", "sleep", "gzip", "id", "hostname", "sync", "rm", "mount",
            "umount", "kill", "echo", "true");

    @TempDir
    Path dir;

    Path script;
    Path proc;
    Path sys;
    Path tracefs;
    Path fakeBin;

    record Shell(String name, Path exe) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Result(int status, String out, String err) {
    }

    static Stream<Shell> shells() {
        List<Shell> shells = new ArrayList<>();
        onPath("dash").ifPresent(p -> shells.add(new Shell("dash", p)));
        busybox().ifPresent(p -> shells.add(new Shell("busybox", p)));
        if (shells.isEmpty()) {
            shells.add(new Shell("none", null));
        }
        return shells.stream();
    }

    /** busybox on PATH, else the x86-64 busybox-static the bench unpacks into its cache. */
    static java.util.Optional<Path> busybox() {
        java.util.Optional<Path> p = onPath("busybox");
        if (p.isPresent()) {
            return p;
        }
        String cache = System.getenv().getOrDefault("ORACLE_CACHE", "/tmp/oracle-cache");
        Path cached = Path.of(cache, "x-amd64/busybox-static/bin/busybox");
        boolean x86 = System.getProperty("os.arch").matches("amd64|x86_64");
        return x86 && Files.isExecutable(cached) ? java.util.Optional.of(cached) : java.util.Optional.empty();
    }

    static java.util.Optional<Path> onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, name);
            if (Files.isExecutable(p)) {
                return java.util.Optional.of(p);
            }
        }
        return java.util.Optional.empty();
    }

    @BeforeEach
    void fakeMachine() throws IOException {
        script = dir.resolve("kmemsim-capture");
        Files.write(script, CaptureCommand.script());
        proc = dir.resolve("proc");
        sys = dir.resolve("sys");
        tracefs = dir.resolve("tracing");
        Files.createDirectories(proc.resolve("sys/vm"));
        for (String f : List.of("buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "meminfo")) {
            Files.copy(REAL.resolve(f + ".before.txt"), proc.resolve(f));
        }
        Files.copy(REAL.resolve("slabinfo.before.txt"), proc.resolve("slabinfo"));
        Files.copy(REAL.resolve("cmdline.txt"), proc.resolve("cmdline"));
        Files.copy(REAL.resolve("cpuinfo.txt"), proc.resolve("cpuinfo"));
        write(proc.resolve("uptime"), "35.94 60.00\n");
        byte[] kpf = new byte[8 * 64];
        for (int i = 0; i < kpf.length; i++) {
            kpf[i] = (byte) (i * 7);
        }
        Files.write(proc.resolve("kpageflags"), kpf);
        write(proc.resolve("sys/vm/min_free_kbytes"), "16384\n");
        write(proc.resolve("sys/vm/lowmem_reserve_ratio"), "256\t256\t32\t0\n");
        write(proc.resolve("sys/vm/compact_memory"), "");
        Files.createDirectories(sys.resolve("devices/system/node/node0"));
        Files.createDirectories(sys.resolve("kernel/mm/transparent_hugepage"));
        write(sys.resolve("kernel/mm/transparent_hugepage/enabled"), "[always] madvise never\n");

        // tracefs as someone else left it: tracing on, a 1408 KiB buffer, local clock, overwrite on, kmalloc enabled
        write(tracefs.resolve("tracing_on"), "1\n");
        write(tracefs.resolve("buffer_size_kb"), "1408\n");
        write(tracefs.resolve("trace_clock"), "[local] global counter uptime perf mono mono_raw boot\n");
        write(tracefs.resolve("options/overwrite"), "1\n");
        write(tracefs.resolve("current_tracer"), "nop\n");
        write(tracefs.resolve("trace"), "");
        write(tracefs.resolve("trace_marker"), "");
        write(tracefs.resolve("available_events"), "kmem:mm_page_alloc\nvmscan:mm_vmscan_kswapd_wake\nsched:sched_switch\n");
        for (String e : NEEDED) {
            write(tracefs.resolve("events/kmem/" + e + "/enable"), e.equals("kmalloc") ? "1\n" : "0\n");
            write(tracefs.resolve("events/kmem/" + e + "/format"), "name: " + e + "\n");
        }
        write(tracefs.resolve("events/vmscan/mm_vmscan_kswapd_wake/enable"), "0\n");
        for (int c = 0; c < 2; c++) {
            stats(c, 0);
        }
        fakeBin = dir.resolve("fakebin");
        write(fakeBin.resolve("dmesg"), "#!/bin/sh\necho '[    0.000000] Memory: 98324K/1048576K available (13248K kernel code)'\n");
        fakeBin.resolve("dmesg").toFile().setExecutable(true);
    }

    void stats(int cpu, int dropped) throws IOException {
        write(tracefs.resolve("per_cpu/cpu" + cpu + "/stats"), "entries: 10\noverrun: 0\ncommit overrun: 0\nbytes: 480\n"
                + "oldest event ts:    35.977039\nnow ts:    38.955259\ndropped events: " + dropped + "\nread events: 0\n");
    }

    static void write(Path p, String text) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    Result run(Shell shell, Map<String, String> env, String... args) throws Exception {
        assumeTrue(shell.exe() != null, "neither dash nor busybox found on PATH; install one to test kmemsim-capture");
        List<String> cmd = new ArrayList<>(List.of(shell.exe().toString()));
        if (shell.name().equals("busybox")) {
            cmd.add("sh");
        }
        cmd.add(script.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> e = pb.environment();
        e.put("KMEMSIM_CAPTURE_PROC", proc.toString());
        e.put("KMEMSIM_CAPTURE_SYS", sys.toString());
        e.put("KMEMSIM_CAPTURE_TRACEFS", tracefs.toString());
        e.put("KMEMSIM_CAPTURE_UID", "0");
        if (shell.name().equals("busybox")) {
            Path applets = dir.resolve("applets");
            Files.createDirectories(applets);
            for (String a : APPLETS) {
                if (!Files.exists(applets.resolve(a), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.createSymbolicLink(applets.resolve(a), shell.exe());
                }
            }
            e.put("PATH", fakeBin + ":" + applets);
        } else {
            e.put("PATH", fakeBin + ":" + e.getOrDefault("PATH", "/usr/bin:/bin"));
        }
        e.putAll(env);
        pb.redirectOutput(dir.resolve("stdout.txt").toFile());
        pb.redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the script finished").isTrue();
        return new Result(p.exitValue(), Files.readString(dir.resolve("stdout.txt")), Files.readString(dir.resolve("stderr.txt")));
    }

    String read(String relative) throws IOException {
        return Files.readString(dir.resolve(relative));
    }

    String tracefs(String relative) throws IOException {
        return Files.readString(tracefs.resolve(relative)).trim();
    }

    /** The settings someone else had before the capture are back, and the events the capture turned on are off. */
    void assertTracefsRestored() throws IOException {
        assertThat(tracefs("tracing_on")).isEqualTo("1");
        assertThat(tracefs("buffer_size_kb")).isEqualTo("1408");
        assertThat(tracefs("trace_clock")).isEqualTo("local");
        assertThat(tracefs("options/overwrite")).isEqualTo("1");
        assertThat(tracefs("events/kmem/kmalloc/enable")).as("enabled before, so left on").isEqualTo("1");
        for (String e : NEEDED) {
            if (!e.equals("kmalloc")) {
                assertThat(tracefs("events/kmem/" + e + "/enable")).as(e).isEqualTo("0");
            }
        }
        assertThat(tracefs("events/vmscan/mm_vmscan_kswapd_wake/enable")).isEqualTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void commandWithCompactionAndKpageflags_writesTheBenchFileNames_restoresTracefs(Shell shell) throws Exception {
        write(dir.resolve("boot.log"), "[    0.000000] Memory: 98324K/1048576K available (13248K kernel code)\n");
        Result r = run(shell, Map.of(), "-o", "bundle", "-c", "-K", "-b", "1000", "-L", "boot.log", "--", "sh", "-c",
                "echo traced-command");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("traced-command");
        assertThat(r.err()).contains("bundle written to");
        Path b = dir.resolve("bundle");
        for (String phase : List.of("before", "after")) {
            for (String f : List.of("buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "meminfo", "slabinfo")) {
                assertThat(b.resolve(f + "." + phase + ".txt")).exists();
            }
        }
        for (String f : List.of("buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat")) {
            assertThat(b.resolve(f + ".compacted.txt")).hasSameBinaryContentAs(proc.resolve(f));
            assertThat(b.resolve(f + ".before.txt")).hasSameBinaryContentAs(proc.resolve(f));
        }
        assertThat(b.resolve("zoneinfo.boot.txt")).as("a capture is not taken at boot").doesNotExist();
        assertThat(b.resolve("kpageflags.before.bin")).hasSameBinaryContentAs(proc.resolve("kpageflags"));
        assertThat(b.resolve("kpageflags.after.bin")).hasSameBinaryContentAs(proc.resolve("kpageflags"));
        assertThat(read("proc/sys/vm/compact_memory").trim()).as("-c wrote 1 to compact_memory").isEqualTo("1");
        assertThat(read("bundle/sysctl_vm_all.txt"))
                .isEqualTo("compact_memory = \nlowmem_reserve_ratio = 256 256 32 0 \nmin_free_kbytes = 16384 \n");
        assertThat(read("bundle/vm.min_free_kbytes.txt")).isEqualTo("16384\n");
        assertThat(read("bundle/vm.lowmem_reserve_ratio.txt")).isEqualTo("256\t256\t32\t0\n");
        assertThat(read("bundle/dmesg.txt")).contains("Memory: 98324K/1048576K available");
        assertThat(read("bundle/thp_settings.txt")).isEqualTo("/sys/kernel/mm/transparent_hugepage/enabled: [always] madvise never\n");
        assertThat(read("bundle/nproc.txt").trim()).matches("[1-9][0-9]*");
        assertThat(b.resolve("uname.txt")).isNotEmptyFile();
        assertThat(read("bundle/trace_events_enabled.txt").lines().toList())
                .containsAll(NEEDED.stream().map(e -> "kmem:" + e).toList())
                .contains("kmem:kmalloc_node MISSING", "vmscan:mm_vmscan_kswapd_wake", "compaction MISSING");
        assertThat(read("bundle/formats/kmem.mm_page_alloc.format")).isEqualTo("name: mm_page_alloc\n");
        assertThat(read("bundle/trace_stats.txt")).startsWith("== cpu0\nentries: 10\n").contains("== cpu1\n");
        assertThat(b.resolve("trace.txt")).exists();
        assertThat(b.resolve("trace_lost.txt")).doesNotExist();
        assertThat(read("bundle/capture_info.txt")).contains("command: sh -c echo traced-command\ncommand_status: 0\n",
                "kpageflags: yes\n", "compacted: yes\n", "trace_lost_events: no\n", "(top-level buffer)");
        assertThat(read("bundle/timeline.txt").lines().map(l -> l.substring(l.indexOf(' ') + 1)).toList())
                .startsWith("capture start version=1")
                .contains("before snapshot taken, tracing on", "workload begin", "workload end status=0",
                        "after snapshot done", "compact_memory done")
                .endsWith("capture end");
        // the script wrote the markers to trace_marker (the fake keeps only the last one)
        assertThat(tracefs("trace_marker")).isEqualTo("KMEMSIM: after_snapshot tracing_off");
        assertTracefsRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void notRoot_refusedWithExit4_nothingWritten(Shell shell) throws Exception {
        Result r = run(shell, Map.of("KMEMSIM_CAPTURE_UID", "1000"), "-o", "bundle", "-d", "1");
        assertThat(r.status()).isEqualTo(4);
        assertThat(r.err()).contains("must run as root");
        assertThat(dir.resolve("bundle")).doesNotExist();
        assertThat(tracefs("tracing_on")).isEqualTo("1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void noTracefs_refusedWithExit5(Shell shell) throws Exception {
        Result r = run(shell, Map.of("KMEMSIM_CAPTURE_TRACEFS", dir.resolve("nothing").toString()), "-o", "bundle", "-d", "1");
        assertThat(r.status()).isEqualTo(5);
        assertThat(r.err()).contains("no tracefs");
        assertThat(dir.resolve("bundle")).doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void missingEvent_refusedWithExit6_namingIt(Shell shell) throws Exception {
        Files.walk(tracefs.resolve("events/kmem/mm_page_alloc_extfrag")).sorted(java.util.Comparator.reverseOrder())
                .forEach(p -> p.toFile().delete());
        Result r = run(shell, Map.of(), "-o", "bundle", "-d", "1");
        assertThat(r.status()).isEqualTo(6);
        assertThat(r.err()).contains("kmem:mm_page_alloc_extfrag");
        assertThat(dir.resolve("bundle")).doesNotExist();
        assertThat(tracefs("events/kmem/mm_page_alloc/enable")).isEqualTo("0");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void lostEvents_bundleKeptButFlagged_exit3(Shell shell) throws Exception {
        stats(1, 42);
        Result r = run(shell, Map.of(), "-o", "bundle", "-d", "1");
        assertThat(r.status()).isEqualTo(3);
        assertThat(r.err()).contains("the trace lost events", "trace_lost.txt");
        assertThat(read("bundle/trace_lost.txt")).contains("cpu1 dropped events: 42", "total lost: 42");
        assertThat(read("bundle/capture_info.txt")).contains("trace_lost_events: yes");
        assertThat(dir.resolve("bundle/buddyinfo.after.txt")).exists();
        assertThat(dir.resolve("bundle/trace.txt")).exists();
        assertTracefsRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void failingCommand_bundleComplete_exit7(Shell shell) throws Exception {
        Result r = run(shell, Map.of(), "-o", "bundle", "--", "sh", "-c", "exit 5");
        assertThat(r.status()).isEqualTo(7);
        assertThat(r.err()).contains("exited with status 5");
        assertThat(read("bundle/capture_info.txt")).contains("command_status: 5");
        assertThat(dir.resolve("bundle/buddyinfo.after.txt")).exists();
        assertTracefsRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void interrupted_restoresTracefs_marksIncomplete_exit130(Shell shell) throws Exception {
        Result r = run(shell, Map.of(), "-o", "bundle", "--", "sh", "-c", "kill -INT $PPID; sleep 1");
        assertThat(r.status()).isEqualTo(130);
        assertThat(r.err()).contains("interrupted during COMMAND");
        assertThat(read("bundle/INCOMPLETE.txt")).contains("interrupted");
        assertThat(dir.resolve("bundle/buddyinfo.after.txt")).doesNotExist();
        assertTracefsRestored();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void nonEmptyBundleDirectory_refusedWithExit2_leftAlone(Shell shell) throws Exception {
        write(dir.resolve("bundle/buddyinfo.before.txt"), "an earlier capture\n");
        Result r = run(shell, Map.of(), "-o", "bundle", "-d", "1");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("not empty");
        assertThat(read("bundle/buddyinfo.before.txt")).isEqualTo("an earlier capture\n");
        assertThat(tracefs("tracing_on")).isEqualTo("1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void badOption_usageExit2(Shell shell) throws Exception {
        assertThat(run(shell, Map.of(), "-d", "soon").status()).isEqualTo(2);
        assertThat(run(shell, Map.of(), "-d", "3", "--", "true").status()).isEqualTo(2);
        assertThat(run(shell, Map.of(), "-b", "12").status()).isEqualTo(2);
        Result noLog = run(shell, Map.of(), "-L", "no-such-log");
        assertThat(noLog.status()).isEqualTo(2);
        assertThat(noLog.err()).contains("-L no-such-log");
        Result help = run(shell, Map.of(), "-h");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("Usage (as root):", "Exit status:");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void instanceThatCannotBeSetUp_removedAgain_exit1(Shell shell) throws Exception {
        // a real tracefs fills a new instance directory itself; a plain directory stays empty
        Files.createDirectories(tracefs.resolve("instances"));
        Result r = run(shell, Map.of(), "-o", "bundle", "-d", "1");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("has no tracing_on after mkdir");
        try (Stream<Path> left = Files.list(tracefs.resolve("instances"))) {
            assertThat(left).as("the instance directory is removed").isEmpty();
        }
        assertThat(tracefs("tracing_on")).isEqualTo("1");
    }
}
