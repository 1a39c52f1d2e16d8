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

class InspectBuddyinfoCommandTest {

    /** 10 order-0, 4 order-1, 2 order-2 blocks: 26 pages in 16 blocks (worked in FragmentationTest). */
    private static final String BUDDYINFO =
            "Node 0, zone   Normal     10      4      2      0      0      0      0      0      0      0      0 \n";

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @Test
    void extfragIndex_printsDebugfsLinePerVersion() throws IOException {
        Path f = write("buddyinfo", BUDDYINFO);
        assertThat(run(f.toString(), "--show", "extfrag-index")).isZero();
        assertThat(out.toString()).isEqualTo(
                "Node 0, zone   Normal -1.000 -1.000 -1.000  0.735  0.836  0.887  0.913  0.925  0.932  0.935  0.936 \n");
        assertThat(run(f.toString(), "--show", "extfrag-index", "--kernel", "5.10")).isZero();
        assertThat(out.toString()).isEqualTo(
                "Node 0, zone   Normal -1.000 -1.000 -1.000 0.735 0.836 0.887 0.913 0.925 0.932 0.935 0.936 \n");
    }

    @Test
    void unusableIndex_printsDebugfsLine() throws IOException {
        assertThat(run(write("buddyinfo", BUDDYINFO).toString(), "--show", "unusable-index")).isZero();
        assertThat(out.toString()).isEqualTo(
                "Node 0, zone   Normal 0.000 0.384 0.692 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 \n");
    }

    @Test
    void summary_humanUnitsAndTypes() throws IOException {
        assertThat(run(write("buddyinfo", BUDDYINFO).toString(), "--show", "summary")).isZero();
        assertThat(out.toString()).startsWith("Node 0, zone Normal: 104.0 KiB free in 16 blocks\n")
                .contains("      2   16.0 KiB            2     32.0 KiB\n");
        Path b = copy("buddyinfo-x86-2nodes.txt");
        Path p = copy("pagetypeinfo-x86-2nodes.txt");
        assertThat(run(b.toString(), "--pagetypeinfo", p.toString(), "--show", "summary")).as(err.toString()).isZero();
        // node 1 Movable: 1800 + 1800 + 1600 + 800 + 800 + 640 + 640 + 640 + 512 + 512 + 1024000 = 1033744 pages
        assertThat(out.toString()).contains("Node 1, zone Normal:").contains("  type Movable           3.9 GiB\n");
    }

    @Test
    void badInput_exit2() throws IOException {
        Path f = write("buddyinfo", "Node 0, zone   Normal 1 -2\n");
        assertThat(run(f.toString(), "--show", "summary")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(f + ":1: order 1: expected a non-negative decimal number: \"-2\"\n");
        assertThat(run(f.toString(), "--show", "everything")).isEqualTo(2);
        assertThat(err.toString()).contains("--show must be unusable-index, extfrag-index or summary: everything");
        assertThat(run(f.toString())).isEqualTo(2);
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
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
        String[] full = new String[args.length + 1];
        full[0] = "buddyinfo";
        System.arraycopy(args, 0, full, 1, args.length);
        return cl.execute(full);
    }
}
