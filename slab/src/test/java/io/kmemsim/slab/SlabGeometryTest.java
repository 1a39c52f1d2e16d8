package io.kmemsim.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.slab.CacheAlignment;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.slab.SlabGeometry.Geometry;
import io.kmemsim.slab.SlabGeometry.Placement;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SLAB geometry worked by hand from mm/slab.c: set_free_obj(), cache_estimate(), __kmem_cache_create(), enable_cpucache() (6.1) (4K pages, 64-byte lines,
 * slab_max_order 1, byte indices).
 */
class SlabGeometryTest {

    /** x86-64 SLAB kmalloc strides: an off-slab array of n bytes would live in kmalloc-32 … */
    private static final IntUnaryOperator X86_HOLDER = n -> n <= 32 ? 32 : n <= 64 ? 64 : n <= 96 ? 128 : n <= 128 ? 128 : 192;
    /** arm64 up to 6.4: the smallest kmalloc cache is kmalloc-128. */
    private static final IntUnaryOperator ARM64_HOLDER = n -> n <= 128 ? 128 : 256;

    private static Geometry create(int objectSize, long flags, boolean ctor, IntUnaryOperator holder) {
        int align = CacheAlignment.calculate(flags, 0, objectSize, 64);
        return SlabGeometry.create(objectSize, align, flags, ctor, 64, 1, 10, 12, holder);
    }

    /**
     * The mm/slab.c: cache_estimate(), calculate_slab_order() (6.1) table. kmalloc-32: in-object array needs 128 > 32 bytes; off-slab array of 128 bytes needs
     * kmalloc-128 > 32 / 2; on-slab 4096 / 33 = 124, 4 left. kmalloc-192: 21 × 192 = 4032, 64 left =
     * one colour. Plain 700 → 704: order 0 leaves 576 (> 4096 / 8), order 1: 11 objects, 448 left, 7
     * colours. Plain 24: 4096 / 25 = 163, 21 left.
     */
    @ParameterizedTest(name = "{0} bytes hwalign={1}: {2} stride {3}, {4} objects, order {5}, {6} colours")
    @CsvSource({
        "32,   true,  ON_SLAB,     32,   124, 0, 0",
        "64,   true,  OBJFREELIST, 64,   64,  0, 0",
        "96,   true,  OBJFREELIST, 128,  32,  0, 0",
        "128,  true,  OBJFREELIST, 128,  32,  0, 0",
        "192,  true,  OBJFREELIST, 192,  21,  0, 1",
        "256,  true,  OBJFREELIST, 256,  16,  0, 0",
        "512,  true,  OBJFREELIST, 512,  8,   0, 0",
        "1024, true,  OBJFREELIST, 1024, 4,   0, 0",
        "2048, true,  OBJFREELIST, 2048, 2,   0, 0",
        "4096, true,  OBJFREELIST, 4096, 1,   0, 0",
        "8192, true,  OBJFREELIST, 8192, 1,   1, 0",
        "24,   false, ON_SLAB,     24,   163, 0, 0",
        "700,  false, OBJFREELIST, 704,  11,  1, 7"})
    void create_matchesTheReferenceTable(int objectSize, boolean hwAlign, Placement placement, int size, int num,
                                         int order, int colours) {
        Geometry g = create(objectSize, hwAlign ? SlabFlags.HWCACHE_ALIGN : 0, false, X86_HOLDER);
        assertThat(g.placement()).isEqualTo(placement);
        assertThat(g.size()).isEqualTo(size);
        assertThat(g.num()).isEqualTo(num);
        assertThat(g.order()).isEqualTo(order);
        assertThat(g.colour()).isEqualTo(colours);
        assertThat(g.colourOff()).isEqualTo(64);
    }

    /** A 512-byte cache with a constructor: 8 objects fill the page exactly (0 left < 8-byte array in kmalloc-32). */
    @Test
    void create_ctorCacheGoesOffSlabWhenNothingIsLeftOver() {
        Geometry g = create(512, 0, true, X86_HOLDER);
        assertThat(g.placement()).isEqualTo(Placement.OFF_SLAB);
        assertThat(g.num()).isEqualTo(8);
        assertThat(g.freelistSize()).isEqualTo(8);
        assertThat(g.colour()).isZero();
    }

    /**
     * A 128-byte constructor cache: on x86-64 the 32-byte array fits kmalloc-32 (32 <= 64), so off-slab
     * with 32 objects; on arm64 the array would need kmalloc-128 > 64 at every order, so on-slab:
     * 4096 / 129 = 31 objects, 97 left, one colour.
     */
    @Test
    void create_offSlabNeedsAHolderAtMostHalfTheStride() {
        Geometry x86 = create(128, 0, true, X86_HOLDER);
        assertThat(x86.placement()).isEqualTo(Placement.OFF_SLAB);
        assertThat(x86.num()).isEqualTo(32);
        Geometry arm = create(128, 0, true, ARM64_HOLDER);
        assertThat(arm.placement()).isEqualTo(Placement.ON_SLAB);
        assertThat(arm.num()).isEqualTo(31);
        assertThat(arm.leftOver()).isEqualTo(97);
        assertThat(arm.colour()).isEqualTo(1);
    }

    /** A 1000-byte constructor cache: off-slab leaves 96 >= 4, so it moves on-slab: 4 objects, 92 left, 1 colour. */
    @Test
    void create_offSlabWithRoomMovesOnSlab() {
        Geometry g = create(1000, 0, true, X86_HOLDER);
        assertThat(g.placement()).isEqualTo(Placement.ON_SLAB);
        assertThat(g.num()).isEqualTo(4);
        assertThat(g.leftOver()).isEqualTo(92);
        assertThat(g.colour()).isEqualTo(1);
    }

    /** A 1-byte object is raised to 16 bytes (byte indices); with a constructor 4096 / 17 = 240 on-slab. */
    @Test
    void create_tinyObjectsAreRaisedToSixteenBytes() {
        Geometry g = create(1, 0, true, X86_HOLDER);
        assertThat(g.size()).isEqualTo(16);
        assertThat(g.placement()).isEqualTo(Placement.ON_SLAB);
        assertThat(g.num()).isEqualTo(240);
    }

    /** SLAB_RECLAIM_ACCOUNT stops at the first acceptable order: 700 stays at order 0 with 5 objects. */
    @Test
    void create_reclaimAccountTakesTheFirstOrder() {
        Geometry g = create(700, SlabFlags.RECLAIM_ACCOUNT, false, X86_HOLDER);
        assertThat(g.order()).isZero();
        assertThat(g.num()).isEqualTo(5);
        assertThat(g.colour()).isEqualTo(9);
    }

    /** An alignment above the cache line widens the colour step: 256-aligned 40-byte objects step by 256. */
    @Test
    void create_colourStepIsTheLargerOfLineAndAlign() {
        int align = CacheAlignment.calculate(0, 256, 40, 64);
        Geometry g = SlabGeometry.create(40, align, 0, false, 64, 1, 10, 12, X86_HOLDER);
        assertThat(g.size()).isEqualTo(256);
        assertThat(g.colourOff()).isEqualTo(256);
    }

    /** mm/slab.c: enable_cpucache() (6.1) examples: 32 → 120 60 8; 512 → 54 27 8; 2048 → 24 12 8; 8192 → 8 4 0; 256 KiB → 1 1 0. */
    @ParameterizedTest(name = "size {0}: {1} {2} {3}")
    @CsvSource({"32, 120, 60, 8", "256, 120, 60, 8", "257, 54, 27, 8", "512, 54, 27, 8", "1024, 54, 27, 8",
        "2048, 24, 12, 8", "4096, 24, 12, 8", "8192, 8, 4, 0", "131072, 8, 4, 0", "262144, 1, 1, 0"})
    void tunables_followEnableCpucache(int size, int limit, int batch, int shared) {
        assertThat(SlabGeometry.limit(size, 4096)).isEqualTo(limit);
        assertThat(SlabGeometry.batchcount(SlabGeometry.limit(size, 4096))).isEqualTo(batch);
        assertThat(SlabGeometry.sharedFactor(size, 4096, 4)).isEqualTo(shared);
    }

    @Test
    void tunables_noSharedArrayOnOneCpu() {
        assertThat(SlabGeometry.sharedFactor(32, 4096, 1)).isZero();
        assertThat(SlabGeometry.freeLimit(4, 60, 124)).isEqualTo(424);
    }

    @Test
    void idxSize_byteOn4kShortOnLargerPages() {
        assertThat(SlabGeometry.idxSize(12)).isEqualTo(1);
        assertThat(SlabGeometry.idxSize(14)).isEqualTo(2);
        assertThat(SlabGeometry.maxObjects(1)).isEqualTo(255);
    }
}
