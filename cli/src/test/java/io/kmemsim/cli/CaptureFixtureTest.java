package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed bundle fixtures/bundles/capture-arm64-1G: what kmemsim-capture wrote when run inside the bench
 * (arm64 Debian 6.1, QEMU, 1 GiB, 2 CPUs; written by {@link CaptureBenchTest} with
 * {@code -Dkmemsim.capture.fixture}), checked offline against the bench's own record of the same boot in its
 * {@code bench-same-run/} directory.
 */
class CaptureFixtureTest {

    static final Path BUNDLE = CaptureScriptTest.REAL;

    @Test
    void bundle_hasTheBenchFileNames_markersInOrder_noLoss() throws Exception {
        CaptureBundleChecks.checkBundle(BUNDLE);
        assertThat(Files.readString(BUNDLE.resolve("bench-same-run/capture_status.txt")).trim()).isEqualTo("0");
    }

    @Test
    void bundle_agreesWithTheBenchsFilesAndTraceOfTheSameBoot() throws Exception {
        CaptureBundleChecks.checkAgainstBench(BUNDLE, BUNDLE.resolve("bench-same-run"),
                BUNDLE.resolve("bench-same-run/trace-window.txt"));
    }

    @Test
    void trace_explainsTheBuddyFreeChange_exactly() throws Exception {
        // nothing the trace misses happened between the before snapshot and tracing on, nor after tracing off
        assertThat(CaptureBundleChecks.balanceResidual(BUNDLE)).isZero();
    }

    @Test
    void kmemsimReadsTheBundle_watermarksAndSlabGeometryAgreeWithTheKernels() throws Exception {
        Cli zones = Cli.run("inspect", "zoneinfo", BUNDLE.resolve("zoneinfo.before.txt").toString(),
                "--min-free-kbytes", Files.readString(BUNDLE.resolve("vm.min_free_kbytes.txt")).trim(),
                "--watermark-scale-factor", Files.readString(BUNDLE.resolve("vm.watermark_scale_factor.txt")).trim(),
                "--kernel", "6.1");
        assertThat(zones.status()).as(zones.out() + zones.err()).isZero();
        assertThat(zones.out()).endsWith("all zones match\n");
        Cli slabs = Cli.run("inspect", "slabinfo", BUNDLE.resolve("slabinfo.after.txt").toString(),
                "--cpus", Files.readString(BUNDLE.resolve("nproc.txt")).trim(), "--kernel", "6.1");
        assertThat(slabs.status()).as(slabs.out() + slabs.err()).isZero();
        assertThat(slabs.out()).containsPattern("\\b(\\d+) of \\1 caches match");
    }

    @Test
    void kpageflags_coverEveryPfn_andTheirBuddyPagesAreBuddyinfosFreePages_within0_5Percent() throws Exception {
        // the dump is read right after the after snapshot; the few pages that move in between (the cat's own
        // per-CPU list refills) stay well under 0.5 % of the free pages
        long free = CaptureBundleChecks.buddyFree(BUNDLE.resolve("buddyinfo.after.txt"));
        assertThat(Math.abs(CaptureBundleChecks.kpageflagsVsBuddyinfo(BUNDLE))).isLessThanOrEqualTo(free / 200);
    }
}
