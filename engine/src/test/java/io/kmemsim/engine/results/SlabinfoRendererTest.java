package io.kmemsim.engine.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.slab.CacheInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlabinfoRendererTest {

    @Test
    void header_isTheVersionLine_andTheColumnLine_withTwelveSpacesAfterName() {
        String text = SlabinfoRenderer.render(List.of());

        assertThat(text).isEqualTo("slabinfo - version: 2.1\n"
                + "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit>"
                + " <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
        assertThat(text).contains("# name" + " ".repeat(12) + "<active_objs>");
    }

    @Test
    void rows_matchTheReferenceExamplesByteForByte() {
        // mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1): a SLUB row and a SLAB-style row, spacing exact
        CacheInfo slub = new CacheInfo("kmalloc-64", 12800, 12800, 64, 64, 1, 0, 0, 0, 200, 200, 0);
        CacheInfo slab = new CacheInfo("kmalloc-32", 3720, 3720, 32, 124, 1, 120, 60, 8, 30, 30, 0);

        String text = SlabinfoRenderer.render(List.of(slub, slab));

        assertThat(text.lines().skip(2).toList()).containsExactly(
                "kmalloc-64         12800  12800     64   64    1 : tunables    0    0    0 : slabdata    200    200      0",
                "kmalloc-32          3720   3720     32  124    1 : tunables  120   60    8 : slabdata     30     30      0");
        assertThat(text).endsWith("0\n");
    }

    @Test
    void longNamesAndWideValues_areNeverTruncated() {
        CacheInfo row = new CacheInfo("ext4_inode_cache_with_long_name", 12345678, 12345678, 1184, 27, 8, 0, 0, 0,
                457248, 457248, 0);
        StringBuilder sb = new StringBuilder();

        SlabinfoRenderer.appendRow(sb, row);

        assertThat(sb).hasToString("ext4_inode_cache_with_long_name 12345678 12345678   1184   27    8"
                + " : tunables    0    0    0 : slabdata 457248 457248      0\n");
    }
}
