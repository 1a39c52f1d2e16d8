package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented example of docs/explain.md, and the rules its steps must follow. */
class ExplainCommandTest {

    private static Cli explainExample(int events, String... more) {
        String[] base = {"explain", "../scenarios/explain.yaml", "--trace", "../scenarios/traces/explain-6.1.trace",
            "--events", String.valueOf(events)};
        String[] args = new String[base.length + more.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return Cli.run(args);
    }

    @Test
    void documentedExample_narratesTheStepsDocsExplainMdShows(@TempDir Path tmp) throws IOException {
        Cli r = explainExample(6, "--html", tmp.resolve("e.html").toString());
        assertThat(r.status()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains(
                "#1 order-0 request, gfp 0xcc0: migrate type Unmovable",
                "zone DMA: 65536 free pages, order 0, needs more than the low mark",
                "per-CPU list of cpu 0 for order 0 Unmovable is empty: refill it with up to 15 blocks",
                "free_area[10].free_list[Unmovable] is empty: no larger order",
                "mm/page_alloc.c: __rmqueue_fallback()",
                "free_area[10].free_list[Movable] has a free block at pfn 0x40000 of pageblock order or more",
                "the fallback policy claims the pageblock at pfn 0x40000: its type changes Movable -> Unmovable",
                "the free block at pfn 0x40000, order 10, moves from free_list[Movable] to the tail of free_list[Unmovable]",
                "change_ownership=1 (the pageblock now has the requested type: claimed)",
                "split: the upper half at pfn 0x40200, order 9, goes to the head of free_list[Unmovable]",
                "#2 order-4 request, gfp 0x100cca: migrate type Movable",
                "#4 free pfn 0x40400, order 4: not a per-CPU list order, back to the buddy lists",
                "buddy of pfn 0x40400 at order 4 is pfn 0x40410 (pfn ^ (1 << 4)): free, same order, merge",
                "buddy of pfn 0x40400 at order 9 is pfn 0x40600 (pfn ^ (1 << 9)): free, same order, merge",
                "put pfn 0x40400, order 10, at the head of free_area[10].free_list[Movable]",
                "#6 free pfn 0x40000, order 0: a per-CPU list order");
        assertThat(out).doesNotContain("#7 ");
        assertThat(Files.readString(tmp.resolve("e.html"))).contains("explain-data", "free pfn 0x40400, order 4");
    }

    @Test
    void everyMergeAndSplit_followsTheBuddyArithmetic() {
        Cli r = explainExample(6);
        assertThat(r.status()).as(r.err()).isZero();
        Matcher merge = Pattern.compile("buddy of pfn 0x(\\p{XDigit}+) at order (\\d+) is pfn 0x(\\p{XDigit}+)"
                + " \\(pfn \\^ \\(1 << (\\d+)\\)\\): free, same order, merge; the combined block starts at pfn"
                + " 0x(\\p{XDigit}+), order (\\d+)").matcher(r.out());
        int merges = 0;
        while (merge.find()) {
            long pfn = Long.parseLong(merge.group(1), 16);
            int order = Integer.parseInt(merge.group(2));
            assertThat(Long.parseLong(merge.group(3), 16)).isEqualTo(pfn ^ (1L << order));
            assertThat(Long.parseLong(merge.group(5), 16)).isEqualTo(pfn & ~(1L << order));
            assertThat(Integer.parseInt(merge.group(6))).isEqualTo(order + 1);
            merges++;
        }
        assertThat(merges).isEqualTo(6);
        Matcher take = Pattern.compile("take the head, block at pfn 0x(\\p{XDigit}+) \\((\\d+) pages?\\)").matcher(r.out());
        while (take.find()) {
            long pfn = Long.parseLong(take.group(1), 16);
            assertThat(pfn % Long.parseLong(take.group(2))).as("a block is aligned to its size").isZero();
        }
    }

    @Test
    void eventsOutOfRange_isAnInputError() {
        Cli r = explainExample(0);
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--events", "must be in [1, 1000]: 0");
        assertThat(r.errHasStackTrace()).isFalse();
    }
}
