package io.kmemsim.engine.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.engine.InputException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * /proc copies as people paste them: excerpts, comments, mail quoting, tabs, several nodes, and the
 * bytes and numbers that must be errors with {@code file:line}. The zoneinfo lines are the real 6.1
 * arm64 ones of the QEMU oracle run (1 GiB, vm.min_free_kbytes=16384, watermark_scale_factor=50).
 */
class ProcPastedInputTest {

    @Test
    @DisplayName("a zoneinfo excerpt quoted in a mail: only pages free/min/low/high/managed, # notes, tabs, two nodes")
    void zoneinfoExcerpt() {
        String text = String.join("\n",
                "# /proc/zoneinfo of the 1 GiB arm64 guest, trimmed",
                "> Node 0, zone      DMA",
                ">   pages free     232382",
                ">         min      4096",
                ">\tlow      5300",
                ">         high     6504",
                ">         managed  240993",
                "",
                "Node 1, zone   Normal",
                "        min      0",
                "        managed  0") + "\n";
        Zoneinfo z = ZoneinfoParser.parseExcerpt(Fixtures.reader(text), "zi");
        assertThat(z.zones()).hasSize(2);
        assertThat(z.zones().get(0).low()).isEqualTo(5300);
        assertThat(z.zones().get(0).managed()).isEqualTo(240993);
        assertThat(z.zones().get(1).node()).isEqualTo(1);
        assertThat(z.zones().get(1).high()).isEqualTo(Zoneinfo.ABSENT);
        assertThat(z.missing()).containsEntry("node 0 zone DMA", List.of("spanned", "present", "protection"))
                .containsEntry("node 1 zone Normal", List.of("pages free", "low", "high", "spanned", "present", "protection"));
        // the strict parser still refuses it, naming the first missing field
        assertThatThrownBy(() -> ZoneinfoParser.parse(Fixtures.reader(text), "zi"))
                .hasMessage("zi:2: spanned: missing in node 0 zone DMA");
    }

    @Test
    @DisplayName("buddyinfo: 2^63-1 blocks of order 1 is an error naming the field, not a negative count")
    void buddyinfoOverflow() {
        assertThatThrownBy(() -> BuddyinfoParser.parse(Fixtures.reader("Node 0, zone   Normal 1 9223372036854775807\n"), "bi"))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith("bi:1: order 1: node 0 zone Normal: 9223372036854775807 free blocks of order 1");
        assertThatThrownBy(() -> BuddyinfoParser.parse(Fixtures.reader("Node 0, zone   Normal 1 92233720368547758070\n"), "bi"))
                .hasMessage("bi:1: order 1: value 92233720368547758070 does not fit in 64 bits");
    }

    @Test
    @DisplayName("bytes that are not UTF-8, and NUL bytes, are file:line errors")
    void unreadableBytes() {
        byte[] bytes = "Node 0, zone      DMA      2      2\nNode 0, zone   \u00ffNormal 1\n".getBytes(StandardCharsets.ISO_8859_1);
        BufferedReader r = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        assertThatThrownBy(() -> BuddyinfoParser.parse(r, "bi")).isInstanceOf(InputException.class)
                .hasMessageStartingWith("bi:2: unreadable bytes at column 16: this is not UTF-8 text")
                .hasMessageNotContaining("Exception");
        assertThatThrownBy(() -> BuddyinfoParser.parse(Fixtures.reader("Node 0, zone   Normal 1\0 2\n"), "bi"))
                .hasMessage("bi:1: NUL byte at column 24: this is not text");
    }

    @Test
    @DisplayName("a line of a million characters is refused after 64 Ki characters, not read whole")
    void longLine() {
        String text = "Node 0, zone   Normal " + "1 ".repeat(500_000) + "\n";
        assertThatThrownBy(() -> BuddyinfoParser.parse(Fixtures.reader(text), "bi"))
                .hasMessage("bi:1: line longer than 65536 characters; a /proc line is at most a few thousand");
    }
}
