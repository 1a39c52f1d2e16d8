package io.kmemsim.engine.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.mm.PageblockOccupancy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    // 512 pageblocks of a 1 GiB board (262144 pages of 4 KiB); 65536 free pages in whole pageblocks = 256 MiB
    private static final VariantResult LINUX = new VariantResult(
            Variant.parse("linux+linux: fallback.id=linux,compaction.id=linux"), 9, 9, 300, 100,
            new PageblockOccupancy(512, 64, 32, 8), 31, 1051, 59117, 70000, 65536, 262144, 4096, 600000);
    private static final VariantResult UNKNOWN = new VariantResult(
            Variant.parse("a|b:"), 9, 9, 0, 0, PageblockOccupancy.UNKNOWN, 0, 0, 0, 0, 0, 262144, 4096, 10);

    @Test
    void markdown_showsCountsWithTheirShares() {
        assertThat(ComparisonTable.markdown(List.of(LINUX, UNKNOWN))).isEqualTo("""
                | variant | order-9 success | mixed pageblocks | pageblocks with unmovable | type mismatch | fallbacks | compact stalls | pages migrated | free in order >= 9 |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|
                | linux+linux | 300 / 400 (75.0 %) | 32 / 512 (6.3 %) | 64 / 512 (12.5 %) | 8 / 512 (1.6 %) | 31 | 1051 | 59117 | 256.0 MiB (25.0 %) |
                | a\\|b | n/a | n/a | n/a | n/a | 0 | 0 | 0 | 0.0 MiB (0.0 %) |
                """);
    }

    @Test
    void csv_quotesOverridesAndLeavesUnknownsEmpty() {
        assertThat(ComparisonTable.csv(List.of(LINUX, UNKNOWN))).isEqualTo(ComparisonTable.CSV_HEADER + "\n"
                + "linux+linux,\"fallback.id=linux,compaction.id=linux\",9,300,100,0.750000,512,32,64,8,0.062500,0.125000,"
                + "0.015625,31,1051,59117,70000,65536,262144,4096,600000\n"
                + "a|b,,9,0,0,,,,,,,,,0,0,0,0,0,262144,4096,10\n");
    }
}
