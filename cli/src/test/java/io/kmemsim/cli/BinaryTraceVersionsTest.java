package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The binary trace's versions through the CLI: {@code trace convert} writes version 2 by default and version 1 on
 * request (byte for byte what kmemsim wrote before version 2), every version replays like the text it came from,
 * and a damaged file is an error with its byte offset and exit status 2.
 */
class BinaryTraceVersionsTest {

    /** The real 6.1 trace of the capture bundle, and the same trace converted by kmemsim before version 2. */
    private static final Path TEXT = Path.of("..", "fixtures", "bundles", "capture-arm64-1G", "trace.txt.gz");
    private static final Path V1 = Path.of("..", "fixtures", "binary-v1", "capture-arm64-1G.kmstrace.gz");

    @TempDir
    Path dir;

    @Test
    @DisplayName("convert writes version 2 by default, version 1 with --binary-version 1 (the old writer's bytes); all replay like the text")
    void convert_versions_replayLikeText() throws Exception {
        Path v2 = dir.resolve("t.v2.kmst");
        Path v1 = dir.resolve("t.v1.kmst");
        Cli c2 = Cli.run("trace", "convert", TEXT.toString(), v2.toString());
        assertThat(c2.status()).as(c2.err()).isZero();
        assertThat(c2.out()).contains("wrote 13444 events");
        Cli c1 = Cli.run("trace", "convert", TEXT.toString(), v1.toString(), "--binary-version", "1");
        assertThat(c1.status()).as(c1.err()).isZero();
        assertThat(Files.readAllBytes(v2)[8]).isEqualTo((byte) 2);
        byte[] old;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(V1))) {
            old = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(v1)).isEqualTo(old);

        String scenario = Path.of(getClass().getResource("/replay/pages.yaml").toURI()).toString();
        Cli fromText = Cli.run("replay", TEXT.toString(), "--scenario", scenario, "--no-results");
        assertThat(fromText.status()).as(fromText.err()).isZero();
        for (Path binary : new Path[] {V1, v2}) {
            Cli fromBinary = Cli.run("replay", binary.toString(), "--scenario", scenario, "--no-results");
            assertThat(fromBinary.status()).as(fromBinary.err()).isZero();
            for (String s : new String[] {"page allocations by order", "buddyinfo after", "counters: page-allocator"}) {
                assertThat(ReplayRoundTripTest.section(fromBinary.out(), s)).as(binary + ": " + s).isEqualTo(ReplayRoundTripTest.section(fromText.out(), s)).isNotEmpty();
            }
        }
    }

    @Test
    @DisplayName("a cut or corrupt version 2 file: exit 2, the record, its byte offset and the field; no stack trace")
    void damagedFile_exit2_withOffsetAndField() throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, ""
                + "a-1 [000] ..... 1.000001: mm_page_alloc: page=fffffc0000080000 pfn=0x2000 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n"
                + "a-1 [001] ..... 1.000002: mm_page_free: page=fffffc0000080000 pfn=0x2000 order=0\n"
                + "a-1 [000] ..... 1.000003: mm_page_alloc: page=fffffc0000080000 pfn=0x2001 order=0 migratetype=0 gfp_flags=GFP_KERNEL\n");
        Path v2 = dir.resolve("t.kmst");
        assertThat(Cli.run("trace", "convert", text.toString(), v2.toString()).status()).isZero();
        byte[] bytes = Files.readAllBytes(v2);
        // 13 header bytes ("6.1"), fixed alloc at 13 (24 bytes), fixed free at 37 (16), fixed alloc at 53, end at 77
        assertThat(bytes).hasSize(77 + 2);
        assertThat(new int[] {bytes[13], bytes[37], bytes[53]}).containsExactly(0x10, 0x11, 0x10);

        Path cut = dir.resolve("cut.kmst");
        Files.write(cut, Arrays.copyOf(bytes, 43));
        Cli r = Cli.run("replay", cut.toString(), "--no-results");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains(cut + ": record 2 (at byte 37): truncated fixed mm_page_free record: 16 bytes, 6 present"
                + " (in field pid)").doesNotContain("Exception").doesNotContain("\tat ");

        byte[] bad = bytes.clone();
        bad[13 + 7] |= (byte) 0x80; // bit 63 of the first record's first word: reserved
        Path corrupt = dir.resolve("corrupt.kmst");
        Files.write(corrupt, bad);
        Cli s = Cli.run("trace", "stats", corrupt.toString());
        assertThat(s.status()).isEqualTo(2);
        assertThat(s.err()).contains(corrupt + ": record 1 (at byte 13): field reserved (bit 63 of the first word) is 1")
                .doesNotContain("Exception");

        Cli v3 = Cli.run("trace", "convert", TEXT.toString(), dir.resolve("x").toString(), "--binary-version", "3");
        assertThat(v3.status()).isEqualTo(2);
        assertThat(v3.err()).contains("binary trace version must be 1 or 2: 3");
    }
}
