package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.testkit.support.ProcfsSamples;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectZoneinfoCommandTest {

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    /**
     * The file holds the mm/page_alloc.c: __setup_per_zone_wmarks() (6.1) example (DMA 3840, DMA32 750000, Normal 3900000 managed; empty Movable and
     * Device) as 6.12 prints it, Normal with boost 500: 3615 + 500 = 4115, 7515 + 500 = 8015, …; the empty
     * Movable takes the 6.6+ clamp (32), the empty Device 0.
     */
    @Test
    void zoneinfo_allZonesMatch_exit0() throws IOException {
        int status = run("inspect", "zoneinfo", copy("zoneinfo-x86-6.12-full.txt").toString(),
                "--min-free-kbytes", "17258", "--kernel", "6.12");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("Node 0, zone      DMA  managed 3840  boost 0  min 3/3 low 6/6 high 9/9 promo 12/12 OK\n")
                .contains("Node 0, zone   Normal  managed 3900000  boost 500  min 4115/4115 low 8015/8015"
                        + " high 11915/11915 promo 15815/15815 OK\n")
                .contains("Node 0, zone  Movable  managed 0  boost 0  min 32/32 low 32/32 high 32/32 promo 32/32 OK\n")
                .endsWith("all zones match\n");
    }

    /** 6.5 gives an empty Movable 0, not 32 (mm/page_alloc.c: __setup_per_zone_wmarks() (6.1)), so the 6.12 file does not match: exit 1. */
    @Test
    void zoneinfo_wrongKernelRule_exit1() throws IOException {
        int status = run("inspect", "zoneinfo", copy("zoneinfo-x86-6.12-full.txt").toString(),
                "--min-free-kbytes", "17258", "--kernel", "6.5");
        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).contains("min 0/32 low 0/32 high 0/32 promo 0/32 DIFF").endsWith("some zones differ\n");
    }

    /** min_free_kbytes 17262 → pages_min 4315; Normal tmp = 4315*3900000/4653840 = 3616 ≠ 3615. */
    @Test
    void zoneinfo_otherMinFreeKbytes_exit1() throws IOException {
        int status = run("inspect", "zoneinfo", copy("zoneinfo-x86-6.12-full.txt").toString(),
                "--min-free-kbytes", "17262", "--kernel", "6.12");
        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).contains("min 4116/4115");
    }

    @Test
    void zoneinfo_pre4_6Formula() throws IOException {
        Path f = dir.resolve("zi");
        Files.writeString(f, "Node 0, zone   Normal\n  pages free     100\n        min      1000\n"
                + "        low      1250\n        high     1500\n        scanned  0\n        spanned  1000000\n"
                + "        present  1000000\n        managed  1000000\n    nr_free_pages 100\n"
                + "        protection: (0, 0)\n  all_unreclaimable: 0\n");
        assertThat(run("inspect", "zoneinfo", f.toString(), "--min-free-kbytes", "4000", "--kernel", "4.4"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("watermark_scale_factor n/a (before 4.6)").contains("min 1000/1000 low 1250/1250 high 1500/1500 OK");
    }

    @Test
    void zoneinfo_refusesOldKernelsAndBadOptions() throws IOException {
        Path f = copy("zoneinfo-x86-6.12-full.txt");
        assertThat(run("inspect", "zoneinfo", f.toString(), "--min-free-kbytes", "1", "--kernel", "3.9")).isEqualTo(2);
        assertThat(err.toString()).contains("--kernel: kernels before 3.10 are not supported");
        assertThat(run("inspect", "zoneinfo", f.toString(), "--min-free-kbytes", "1", "--kernel", "4.4",
                "--watermark-scale-factor", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("does not exist before kernel 4.6");
        assertThat(run("inspect", "zoneinfo", f.toString(), "--min-free-kbytes", "1", "--watermark-scale-factor", "5000"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("watermark_scale_factor must be in [1, 3000] for kernel 6.1: 5000");
        assertThat(run("inspect", "zoneinfo", f.toString())).isEqualTo(2);
    }

    @Test
    void zoneinfo_badFile_exit2WithFileAndLine() throws IOException {
        Path f = dir.resolve("bad");
        Files.writeString(f, "Node 0, zone   Normal\n  pages free     x\n");
        assertThat(run("inspect", "zoneinfo", f.toString(), "--min-free-kbytes", "1")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(f + ":2: unrecognised zoneinfo line: \"  pages free     x\"\n");
        assertThat(run("inspect", "zoneinfo", dir.resolve("missing").toString(), "--min-free-kbytes", "1")).isEqualTo(2);
        assertThat(err.toString()).contains("missing: no such file");
    }

    /** The real 6.1 arm64 DMA zone of the oracle run (1 GiB, min_free_kbytes 16384, wsf 50), pasted as a mail excerpt. */
    @Test
    void zoneinfo_excerpt_saysWhatIsMissing_exit0() throws IOException {
        Path f = dir.resolve("excerpt.txt");
        Files.writeString(f, "# only the watermark lines\n> Node 0, zone      DMA\n>   pages free     232382\n"
                + ">         min      4096\n>\tlow      5300\n>         high     6504\n>         managed  240993\n");
        int status = run("inspect", "zoneinfo", f.toString(), "--min-free-kbytes", "16384", "--watermark-scale-factor", "50",
                "--kernel", "6.1");
        assertThat(status).as(err.toString()).isZero();
        assertThat(out.toString()).contains("excerpt: fields missing from the file\n  node 0 zone DMA: spanned, present, protection\n")
                .contains("min 4096/4096 low 5300/5300 high 6504/6504 OK");
    }

    @Test
    void zoneinfo_excerptWithoutManaged_cannotCheck_exit1() throws IOException {
        Path f = dir.resolve("excerpt.txt");
        Files.writeString(f, "Node 0, zone      DMA\n  pages free     232382\n        min      4096\n");
        int status = run("inspect", "zoneinfo", f.toString(), "--min-free-kbytes", "16384", "--kernel", "6.1");
        assertThat(status).isEqualTo(1);
        assertThat(out.toString()).contains("cannot check any watermark: managed is missing in node 0 zone DMA");
    }

    @Test
    void zoneinfo_unreadableBytes_exit2_withFileAndLine() throws IOException {
        Path f = dir.resolve("bad.txt");
        Files.write(f, new byte[] {'N', 'o', 'd', 'e', ' ', '0', ',', ' ', 'z', 'o', 'n', 'e', ' ', 'D', 'M', 'A', '\n', ' ', (byte) 0xff, '\n'});
        int status = run("inspect", "zoneinfo", f.toString(), "--min-free-kbytes", "16384");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).startsWith(f + ":2: unreadable bytes").doesNotContain("Exception");
    }

    private Path copy(String name) throws IOException {
        return ProcfsSamples.copy(name, dir);
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = new CommandLine(new InspectCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        return cl.execute(rest);
    }
}
