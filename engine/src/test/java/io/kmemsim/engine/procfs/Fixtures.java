package io.kmemsim.engine.procfs;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.procfs.FakeNode.FakeZone;
import io.kmemsim.testkit.support.ProcfsSamples;
import java.io.BufferedReader;
import java.io.StringReader;

/** Test resources and the hand-filled nodes the golden files were written for. */
final class Fixtures {

    private Fixtures() {
    }

    /** A {@code /proc} sample of the testkit ({@link ProcfsSamples}). */
    static String resource(String name) {
        return ProcfsSamples.text(name);
    }

    static BufferedReader reader(String text) {
        return new BufferedReader(new StringReader(text));
    }

    /** The mm/vmstat.c: frag_show_print() (6.1) example: x86 zones DMA, DMA32, Normal populated; Movable and Device empty; all free blocks Movable. */
    static FakeNode x86Buddyinfo() {
        FakeNode n = new FakeNode(10, 9);
        n.add(0, ZoneType.DMA).span(1, 4095, 3998, 3840).free(MigrateType.MOVABLE, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3);
        n.add(0, ZoneType.DMA32).span(4096, 1044480, 782288, 750000)
                .free(MigrateType.MOVABLE, 1024, 812, 540, 321, 188, 97, 51, 27, 15, 9, 610);
        n.add(0, ZoneType.NORMAL).span(1048576, 3932160, 3932160, 3900000)
                .free(MigrateType.MOVABLE, 18230, 9021, 4122, 1630, 540, 201, 88, 35, 12, 6, 512);
        n.add(0, ZoneType.MOVABLE);
        n.add(0, ZoneType.DEVICE);
        return n;
    }

    /**
     * The arm64 node of the zoneinfo-arm64-*.txt goldens: DMA and Normal populated, DMA32 and Movable empty,
     * 2 CPUs. DMA: 30 order-0 Unmovable + 500 order-10 Movable + 16 order-10 CMA = 30 + 512000 + 16384 =
     * 528414 free pages. Normal: 7 order-3 + 100 order-9 Movable + 1 order-9 HighAtomic = 56 + 51200 + 512 =
     * 51768; boost 100.
     */
    static FakeNode arm64Zoneinfo() {
        FakeNode n = new FakeNode(10, 9);
        FakeZone dma = n.add(0, ZoneType.DMA).span(262144, 786432, 786432, 700000).wmarks(1000, 1250, 1500, 1750);
        dma.free(MigrateType.UNMOVABLE, 30).free(MigrateType.MOVABLE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 500)
                .free(MigrateType.CMA, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16);
        dma.reserve = new long[] {0, 0, 1171, 1171};
        dma.cma = 65536;
        dma.batch = 63;
        dma.pcpCount[0] = 12;
        dma.pcpHigh[0] = 361;
        dma.pcpHigh[1] = 361;
        dma.pcpHighMax[0] = 5000;
        dma.pcpHighMax[1] = 5000;
        n.add(0, ZoneType.DMA32);
        FakeZone normal = n.add(0, ZoneType.NORMAL).span(1048576, 1048576, 1048576, 1040000).wmarks(2000, 3000, 4000, 5000);
        normal.free(MigrateType.MOVABLE, 0, 0, 0, 7, 0, 0, 0, 0, 0, 100).free(MigrateType.HIGHATOMIC, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
        normal.boost = 100;
        normal.batch = 63;
        normal.pcpCount[0] = 5;
        normal.pcpCount[1] = 63;
        normal.pcpHigh[0] = 400;
        normal.pcpHigh[1] = 400;
        normal.pcpHighMax[0] = 3000;
        normal.pcpHighMax[1] = 3000;
        normal.reservedHighatomic = 512;
        n.add(0, ZoneType.MOVABLE).wmarks(32, 32, 32, 32);
        return n;
    }
}
