package io.kmemsim.engine.twin.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The 6.1 {@code find_zone_movable_pfns_for_nodes()} rule for {@code kernelcore=} / {@code movablecore=}. */
class MovableZoneTest {

    private static final long BLOCK = 1024;
    /** arm64 QEMU virt with 3 GiB: one range from 1 GiB, all of it ZONE_DMA. */
    private static final List<MovableZone.PfnRange> ARM64_3G = List.of(new MovableZone.PfnRange(0, 0x40000, 0x100000));

    private static MovableZone.Core pct(long p) {
        return new MovableZone.Core(0, p);
    }

    private static MovableZone.Core pages(long n) {
        return new MovableZone.Core(n, 0);
    }

    @Test
    void kernelcorePercent_countsThatShareOfAllPagesFromTheBottom() {
        // 786432 pages, 50 % = 393216 kernel pages above pfn 0x40000: the real 6.1.192 kernel printed "Movable zone
        // start for each node / Node 0: 0x00000000a0000000" for kernelcore=50% on this machine (bench run
        // validate4-arm64-3G-2cpu-kernelcore50, not committed; docs/fidelity.md round 4)
        assertThat(MovableZone.startPfns(pct(50), MovableZone.Core.NONE, ARM64_3G, 0x40000, BLOCK))
                .isEqualTo(Map.of(0, 0xa0000000L >>> 12));
        // 33 %: 786432 * 100 * 33 / 10000 = 259522 pages, start rounded up to a MAX_ORDER block
        long start = 0x40000L + 786432L * 100 * 33 / 10000;
        assertThat(MovableZone.startPfns(pct(33), MovableZone.Core.NONE, ARM64_3G, 0x40000, BLOCK))
                .isEqualTo(Map.of(0, (start + BLOCK - 1) / BLOCK * BLOCK));
    }

    @Test
    void movablecore_roundsUpToAMaxOrderBlockAndLeavesTheRestToTheKernel() {
        assertThat(MovableZone.startPfns(MovableZone.Core.NONE, pct(25), ARM64_3G, 0x40000, BLOCK))
                .isEqualTo(Map.of(0, 0x100000L - 196608));
        // 1000 pages round up to 1024: the zone starts one block below the end
        assertThat(MovableZone.startPfns(MovableZone.Core.NONE, pages(1000), ARM64_3G, 0x40000, BLOCK))
                .isEqualTo(Map.of(0, 0x100000L - 1024));
        // both given: the larger kernelcore wins
        assertThat(MovableZone.startPfns(pct(90), pct(25), ARM64_3G, 0x40000, BLOCK))
                .isEqualTo(Map.of(0, 0x40000L + 786432L * 90 / 100 / BLOCK * BLOCK + BLOCK));
    }

    @Test
    void pagesBelowTheMovableZonesZoneCountAsKernelcore() {
        // amd64 6 GiB: DMA and DMA32 below 4 GiB are kernelcore before Normal is split
        List<MovableZone.PfnRange> amd64 = List.of(new MovableZone.PfnRange(0, 0x1, 0x9f),
                new MovableZone.PfnRange(0, 0x100, 0xbffe0), new MovableZone.PfnRange(0, 0x100000, 0x1c0000));
        long below = (0x9f - 0x1) + (0xbffe0 - 0x100);
        long kernel = 3L << 18; // kernelcore=3G
        assertThat(MovableZone.startPfns(pages(kernel), MovableZone.Core.NONE, amd64, 0x100000, BLOCK))
                .isEqualTo(Map.of(0, (0x100000 + kernel - below + BLOCK - 1) / BLOCK * BLOCK));
        // kernelcore smaller than the memory below Normal: Movable is all of Normal
        assertThat(MovableZone.startPfns(pages(1 << 18), MovableZone.Core.NONE, amd64, 0x100000, BLOCK))
                .isEqualTo(Map.of(0, 0x100000L));
    }

    @Test
    void noMovableZoneWhenKernelcoreCoversEverythingOrNothingIsAsked() {
        assertThat(MovableZone.startPfns(pct(100), MovableZone.Core.NONE, ARM64_3G, 0x40000, BLOCK)).isEmpty();
        assertThat(MovableZone.startPfns(pages(1L << 30), MovableZone.Core.NONE, ARM64_3G, 0x40000, BLOCK)).isEmpty();
        assertThat(MovableZone.startPfns(MovableZone.Core.NONE, MovableZone.Core.NONE, ARM64_3G, 0x40000, BLOCK)).isEmpty();
        // kernelcore=99% leaves less than one block above the rounded start: none
        assertThat(MovableZone.startPfns(pages(786432 - 100), MovableZone.Core.NONE, ARM64_3G, 0x40000, BLOCK)).isEmpty();
    }

    private static final Pattern NODE0 = Pattern.compile("Node 0: 0x([0-9a-f]+)");

    /** The start the real kernel printed under {@code Movable zone start for each node}. */
    private static long printedStart(Path bundle) throws IOException {
        List<String> lines = Files.readAllLines(bundle.resolve("dmesg.txt"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("Movable zone start for each node")) {
                Matcher m = NODE0.matcher(lines.get(i + 1));
                assertThat(m.find()).isTrue();
                return Long.parseLong(m.group(1), 16) >>> 12;
            }
        }
        return -1;
    }

    @Test
    void realBundles_startWhereTheKernelPrintedIt() throws IOException {
        for (String name : List.of("amd64-6G-2cpu-movablecore", "arm64-3G-2cpu-movablecore25")) {
            Path bundle = Bundles.DIR.resolve(name);
            long printed = printedStart(bundle);
            assertThat(printed).as(name).isPositive();
            assertThat(BootTwin.fromBundle(bundle).movableStartPfn()).as(name).isEqualTo(printed);
        }
        assertThat(BootTwin.fromBundle(Bundles.DIR.resolve("arm64-3G-6cpu")).movableStartPfn()).isEqualTo(-1);
    }
}
