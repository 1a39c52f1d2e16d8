package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@link InspectSlabinfoCommand} on small SLUB files whose rows follow mm/slub.c: calculate_order(), calc_slab_order() (6.1) for 8 CPUs
 * (min_objects 20): an ext4_inode_cache-like stride of 1080 starts at get_order(20 × 1080) = 3, where
 * 32768 − 30 × 1080 = 368 ≤ 32768 / 16, so order 3 with 30 objects; kmalloc-256 order 1 / 32 and
 * kmalloc-64 order 0 / 64 as in the mm/slub.c: calculate_order(), calc_slab_order() (6.1) table. Space 30 × 8 × 4096 = 983040 → "983.0K", loss
 * 983040 − 900 × 1080 = 11040 → "11.0K", efficiency 98.
 */
class InspectSlabinfoCommandTest {

    private static final String HEADER = "slabinfo - version: 2.1\n"
            + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit>"
            + " <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n";
    private static final String ROWS =
            "ext4_inode_cache     900    900   1080   30    8 : tunables    0    0    0 : slabdata     30     30      0\n"
            + "kmalloc-256          320    320    256   32    2 : tunables    0    0    0 : slabdata     10     10      0\n"
            + "kmalloc-64         12800  12800     64   64    1 : tunables    0    0    0 : slabdata    200    200      0\n";

    @TempDir
    Path dir;

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = new CommandLine(new InspectSlabinfoCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    private Path write(String text) throws IOException {
        Path f = dir.resolve("slabinfo");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void allRowsMatch_exitZero() throws IOException {
        assertThat(run(write(HEADER + ROWS).toString(), "--cpus", "8")).isZero();
        assertThat(out.toString()).isEqualTo(
                "# kernel 6.1, 8 CPUs (slub_min_objects 20), 4K pages, calculate_order of 5.10-6.7\n"
                + "name                  objsize  file o/s   pg  calc o/s   pg check       space       loss  %Ef\n"
                + "ext4_inode_cache         1080        30    8        30    8 OK         983.0K      11.0K   98\n"
                + "kmalloc-256               256        32    2        32    2 OK          81.9K          0  100\n"
                + "kmalloc-64                 64        64    1        64    1 OK         819.2K          0  100\n"
                + "3 of 3 caches match\n");
    }

    /** With 4 CPUs (min_objects 16) kmalloc-256 is order 0 with 16 objects, a DIFF; 1080 stays order 3 (get_order(16 × 1080) = 3). */
    @Test
    void differentCpuCount_reportsDiffAndExitsOne() throws IOException {
        assertThat(run(write(HEADER + ROWS).toString(), "--cpus", "4")).isEqualTo(1);
        assertThat(out.toString()).contains(
                "kmalloc-256               256        32    2        16    1 DIFF        81.9K          0  100\n")
                .endsWith("2 of 3 caches match (1 DIFF)\n");
    }

    @Test
    void unreadableBytes_exitTwoWithFileLineAndColumn() throws IOException {
        Path f = dir.resolve("slabinfo");
        byte[] head = (HEADER + "kmalloc-64 ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = java.util.Arrays.copyOf(head, head.length + 2);
        bytes[head.length] = (byte) 0xff;
        bytes[head.length + 1] = '\n';
        Files.write(f, bytes);
        assertThat(run(f.toString(), "--cpus", "8")).isEqualTo(2);
        assertThat(err.toString()).startsWith(f + ":3:12: unreadable bytes: this is not UTF-8 text")
                .doesNotContain("Exception");
    }

    @Test
    void malformedFile_exitTwoWithFileAndLine() throws IOException {
        Path f = write(HEADER + "kmalloc-64 x\n");
        assertThat(run(f.toString(), "--cpus", "8")).isEqualTo(2);
        assertThat(err.toString()).startsWith(f + ":3: expected \"NAME active");
    }

    @Test
    void slabFile_isRefused() throws IOException {
        Path f = write(HEADER
                + "kmalloc-32          3720   3720     32  124    1 : tunables  120   60    8 : slabdata     30     30      0\n");
        assertThat(run(f.toString(), "--cpus", "8")).isEqualTo(2);
        assertThat(err.toString()).contains(":3: tunables: non-zero tunables 120 60 8 of kmalloc-32: this is a SLAB file");
    }

    @Test
    void badOptions_exitTwo() throws IOException {
        Path f = write(HEADER + ROWS);
        assertThat(run(f.toString(), "--cpus", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--cpus: must be in [1, 8192]: 0");
        assertThat(run(f.toString(), "--cpus", "8", "--page-size", "3K")).isEqualTo(2);
    }
}
