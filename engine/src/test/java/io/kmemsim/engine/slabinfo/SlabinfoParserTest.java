package io.kmemsim.engine.slabinfo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.engine.InputException;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SlabinfoParser} and {@link SlubGeometryCheck} on rows in the mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1) format (mm/slub.c, mm/slab.c, mm/slab_common.c (6.1) and docs/kernel-facts.md). */
class SlabinfoParserTest {

    static final String HEADER = "slabinfo - version: 2.1\n"
            + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit>"
            + " <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n";
    static final String KMALLOC_64 =
            "kmalloc-64         12800  12800     64   64    1 : tunables    0    0    0 : slabdata    200    200      0\n";

    private static List<CacheInfo> parse(String text) {
        return SlabinfoParser.parseAll(new BufferedReader(new StringReader(text)), "slabinfo");
    }

    @Test
    void parse_readsTheReferenceRow() {
        List<CacheInfo> rows = parse(HEADER + KMALLOC_64
                + "kmalloc-32          3720   3720     32  124    1 : tunables  120   60    8 : slabdata     30     30      0\n");
        assertThat(rows).containsExactly(new CacheInfo("kmalloc-64", 12800, 12800, 64, 64, 1, 0, 0, 0, 200, 200, 0),
                new CacheInfo("kmalloc-32", 3720, 3720, 32, 124, 1, 120, 60, 8, 30, 30, 0));
    }

    @Test
    void parse_streamsRowsWithLineNumbers() {
        List<Integer> lines = new ArrayList<>();
        SlabinfoParser.parse(new BufferedReader(new StringReader(HEADER + "\n" + KMALLOC_64)), "f",
                (line, info) -> lines.add(line));
        assertThat(lines).containsExactly(4);
    }

    @Test
    void parse_acceptsStatisticsColumns() {
        String stats = "slabinfo - version: 2.1 (statistics)\n# name …\n"
                + "kmalloc-32          3720   3720     32  124    1 : tunables  120   60    8 : slabdata     30     30      0"
                + " : globalstat    4000   3720    30    0    0    1    0    0    0 : cpustat   3000   100   2900    10\n";
        assertThat(parse(stats)).hasSize(1);
    }

    @Test
    void parse_rejectsMalformedInputWithFileLineAndReason() {
        assertThatThrownBy(() -> parse("slabinfo - version: 2.0\n")).isInstanceOf(InputException.class)
                .hasMessage("slabinfo:1: header: expected \"slabinfo - version: 2.1\": \"slabinfo - version: 2.0\"");
        assertThatThrownBy(() -> parse(HEADER + KMALLOC_64 + "bad 1 2 3\n"))
                .hasMessageStartingWith("slabinfo:4: expected \"NAME active");
        assertThatThrownBy(() -> parse(HEADER + KMALLOC_64.replace("12800  12800", "12801  12800")))
                .hasMessage("slabinfo:3: active_objs: active objects 12801 exceed num_objs 12800 of kmalloc-64");
        assertThatThrownBy(() -> parse(HEADER + KMALLOC_64.replace("   64    1 :", "  x64    1 :")))
                .hasMessage("slabinfo:3: objperslab: expected a non-negative decimal number: \"x64\"");
        assertThatThrownBy(() -> parse(HEADER)).hasMessage("slabinfo: no cache rows after the header");
    }

    /** kmalloc-64 on 8 CPUs: order 0, 64 objects (mm/slub.c: calculate_order(), calc_slab_order() (6.1)) — OK; 200 slabs of 4 KiB fully used. */
    @Test
    void check_matchesAndCountsSpace() {
        CacheInfo row = parse(HEADER + KMALLOC_64).get(0);
        SlubGeometryCheck c = SlubGeometryCheck.of(row, KernelVersion.parse("6.1"), 8, 12, 10);
        assertThat(c.match()).isTrue();
        assertThat(c.spaceBytes()).isEqualTo(819200);
        assertThat(c.lossBytes()).isZero();
        assertThat(c.efficiency()).isEqualTo(100);
    }

    /** kmalloc-256 on 8–15 CPUs is order 1 with 32 objects (mm/slub.c: calculate_order(), calc_slab_order() (6.1)); a file saying 16 / 1 page is a DIFF. */
    @Test
    void check_reportsADifferentOrder() {
        CacheInfo row = new CacheInfo("kmalloc-256", 10, 16, 256, 16, 1, 0, 0, 0, 1, 1, 0);
        SlubGeometryCheck c = SlubGeometryCheck.of(row, KernelVersion.parse("6.1"), 8, 12, 10);
        assertThat(c.match()).isFalse();
        assertThat(c.objPerSlab()).isEqualTo(32);
        assertThat(c.pagesPerSlab()).isEqualTo(2);
        assertThat(c.lossBytes()).isEqualTo(4096 - 2560);
        assertThat(c.efficiency()).isEqualTo(62);
    }

    @Test
    void scaled_followsTheSlabinfoTool() {
        assertThat(SlubGeometryCheck.scaled(40960)).isEqualTo("40.9K");
        assertThat(SlubGeometryCheck.scaled(1000)).isEqualTo("1000");
        assertThat(SlubGeometryCheck.scaled(819200)).isEqualTo("819.2K");
        assertThat(SlubGeometryCheck.scaled(2_500_000)).isEqualTo("2.5M");
        assertThat(SlubGeometryCheck.scaled(3_000_000_000L)).isEqualTo("3.0G");
    }
}
