package io.kmemsim.engine.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@code trace stats} prints each kernel's own names: the migrate type names of mm/vmstat.c
 * {@code migratetype_names[]} (3.10: Unmovable, Reclaimable, Movable, Reserve, CMA, Isolate) and the gfp
 * names of that version's include/trace/events/gfpflags.h or mmflags.h table. Lines follow the 3.10 and
 * 4.19 TP_printk of include/trace/events/kmem.h mm_page_alloc ("page=%p pfn=%lu order=%d migratetype=%d
 * gfp_flags=%s").
 */
class TraceStatsTest {

    private static String render(String text, String kernel) {
        TraceStats stats = new TraceStats();
        for (TraceRecord r : TraceVariantsGoldenTest.read(text, kernel, TraceReadOptions.DEFAULT)) {
            stats.add(r);
        }
        return stats.render(KernelVersion.parse(kernel));
    }

    @Test
    @DisplayName("3.10: migratetype 1 is Reclaimable, 3 Reserve; gfp names without underscores, GFP_NOWAIT for 0")
    void v3_10() {
        String text = String.join("\n", List.of(
                "  kworker/0:1-40    [000]   100.000001: mm_page_alloc: page=ffffea0000fe6d00 pfn=260532 order=0 migratetype=1 "
                        + "gfp_flags=GFP_TEMPORARY|GFP_NOWARN",
                "  kworker/0:1-40    [000]   100.000002: mm_page_alloc: page=ffffea0000fe6d40 pfn=260533 order=0 migratetype=3 "
                        + "gfp_flags=GFP_NOWAIT",
                "  kworker/0:1-40    [000]   100.000003: mm_page_alloc: page=ffffea0000fe6d80 pfn=260534 order=0 migratetype=2 "
                        + "gfp_flags=GFP_HIGHUSER_MOVABLE",
                ""));
        String out = render(text, "3.10");
        assertThat(out).contains("Reclaimable").contains("Reserve").contains("Movable").doesNotContain("HighAtomic");
        assertThat(out).contains("GFP_TEMPORARY|GFP_NOWARN").contains("GFP_NOWAIT").contains("GFP_HIGHUSER_MOVABLE");
        assertThat(out).doesNotContain("__GFP_");
    }

    @Test
    @DisplayName("4.19: hex in 4.19's layout prints 4.19's names; migratetype 1 is Movable, 3 HighAtomic")
    void v4_19() {
        String text = "  a-1 [001] ....   5.000000: mm_page_alloc: page=00000000deadbeef pfn=4096 order=0 migratetype=1 "
                + "gfp_flags=0x6200ca\n"
                + "  a-1 [001] ....   5.000001: mm_page_alloc: page=00000000deadbeef pfn=4097 order=0 migratetype=3 "
                + "gfp_flags=GFP_ATOMIC|__GFP_NOWARN\n";
        String out = render(text, "4.19");
        assertThat(out).contains("GFP_HIGHUSER_MOVABLE").contains("GFP_ATOMIC|__GFP_NOWARN");
        assertThat(out).contains("Movable").contains("HighAtomic").doesNotContain("Reserve");
    }
}
