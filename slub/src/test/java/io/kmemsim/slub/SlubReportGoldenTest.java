package io.kmemsim.slub;


import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report text of each corruption kind, line by line, per report era (mm/slub.c: slab_err(), print_trailer() (6.1)), worked
 * by hand from the layouts of mm/slub.c: calculate_sizes() (6.1). The first slab comes from pfn 0x40000: it starts at
 * 0xffff000040000000 and its struct page is at 0xfffffc0001000000.
 *
 * <p>The Z-only 64-byte cache: stride 88, inuse 72, free pointer inside at 32, left red zone 8, 46
 * objects; object 0 is at +8, object 1 at +0x60. The P-only 64-byte cache: stride 72, free pointer
 * outside at 64, 56 objects, slab tail 4096 − 56 × 72 = 64 bytes from offset 4032.
 */
class SlubReportGoldenTest {

    private static final int K = Gfp.GFP_KERNEL;
    private static final String EQ = "=".repeat(77);
    private static final String DASH = "-".repeat(77);

    private SlubObjectCache slub(String kernel) {
        return (SlubObjectCache) new SlubProvider().create(new SlubOptions(),
                TestProviderContext.forObjectCache(kernel, 4, new RecordingPageAllocator(1 << 14, 0x40000)));
    }

    private static final String RZ_DUMP = """
            Redzone  ffff000040000000: cc cc cc cc cc cc cc cc                          ........
            Object   ffff000040000008: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
            Object   ffff000040000018: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
            Object   ffff000040000028: 60 00 00 40 00 00 ff ff 00 00 00 00 00 00 00 00  `..@............
            Object   ffff000040000038: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................
            """;
    private static final String RZ_CORRUPT = "Redzone  ffff000040000048: 12 cc cc cc cc cc cc cc                          ........\n";
    private static final String RZ_RESTORED = "Redzone  ffff000040000048: cc cc cc cc cc cc cc cc                          ........\n";
    private static final String RZ_PADDING = "Padding  ffff000040000050: 00 00 00 00 00 00 00 00                          ........\n";
    private static final String RANGE = "0xffff000040000048-0xffff000040000048 @offset=72. First byte 0x12 instead of 0xcc\n";
    private static final String SLAB = "Slab 0xfffffc0001000000 objects=46 used=1 fp=0xffff000040000060 flags=0x200(slab)\n";
    private static final String OBJECT = "Object 0xffff000040000008 @offset=8 fp=0xffff000040000060\n\n";
    private static final String FIX = "FIX TestSlub_RZ_alloc: Restoring Right Redzone 0xffff000040000048-0xffff000040000048=0xcc\n";

    private static List<String> clobberZone(SlubObjectCache s) {
        int id = s.createCache(new CacheSpec("TestSlub_RZ_alloc", 64, 0, SlabFlags.RED_ZONE, false));
        long p = s.alloc(id, K, 0);
        s.write(p, 64, new byte[] {0x12});
        s.validate(id);
        return s.reports();
    }

    private static String header(String cache, String taint, String reason) {
        return EQ + "\n" + "BUG " + cache + " (" + taint + "): " + reason + "\n" + DASH + "\n\n";
    }

    @Test
    void rightRedzone_eraA_510PrefixesInfoAndPrintsHexFlags() {
        String expected = header("TestSlub_RZ_alloc", "Not tainted", "Right Redzone overwritten")
                + "INFO: " + RANGE
                + "INFO: Slab 0xfffffc0001000000 objects=46 used=1 fp=0xffff000040000060 flags=0x0200\n"
                + "INFO: " + OBJECT + RZ_DUMP + RZ_CORRUPT + RZ_PADDING + FIX;
        assertThat(clobberZone(slub("5.10"))).containsExactly(expected);
    }

    @Test
    void rightRedzone_eraB_61TrailerShowsTheCorruptByteBeforeTheFix() {
        String expected = header("TestSlub_RZ_alloc", "Not tainted", "Right Redzone overwritten")
                + RANGE + SLAB + OBJECT + RZ_DUMP + RZ_CORRUPT + RZ_PADDING + FIX;
        assertThat(clobberZone(slub("6.1"))).containsExactly(expected);
        assertThat(clobberZone(slub("6.6"))).containsExactly(expected);
    }

    @Test
    void rightRedzone_eraC_6120FixFirstThenTrailerWithRestoredBytes() {
        String expected = header("TestSlub_RZ_alloc", "Not tainted", "Right Redzone overwritten")
                + RANGE + FIX + SLAB + OBJECT + RZ_DUMP + RZ_RESTORED + RZ_PADDING;
        assertThat(clobberZone(slub("6.12.20"))).containsExactly(expected);
    }

    @Test
    void rightRedzone_eraD_612117BracketLineThenObjectCorrupt() {
        String expected = "[Right Redzone overwritten] " + RANGE
                + header("TestSlub_RZ_alloc", "Not tainted", "Object corrupt")
                + SLAB + OBJECT + RZ_DUMP + RZ_CORRUPT + RZ_PADDING + FIX;
        assertThat(clobberZone(slub("6.12"))).containsExactly(expected);
        assertThat(clobberZone(slub("6.18"))).containsExactly(expected);
    }

    @Test
    void taint_isBadPageAfterTheFirstReportAndWarnInEraD() {
        SlubObjectCache b = slub("6.1");
        clobberZone(b);
        assertThat(b.debug.r.taint()).isEqualTo("Tainted: G    B             ");
        SlubObjectCache d = slub("6.12");
        clobberZone(d);
        assertThat(d.debug.r.taint()).isEqualTo("Tainted: G    B   W         ");
    }

    @Test
    void freechainCorrupt_cutsTheChainAndFixesTheCount61() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("TestSlub_next_ptr_free", 64, 0, SlabFlags.POISON, false));
        long q = s.alloc(id, K, 0);
        s.alloc(id, K, 0);
        s.free(id, q, 0);
        s.write(q, 64, new byte[] {0x11});
        s.validate(id);
        String poison = "6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk\n";
        String slab = "Slab 0xfffffc0001000000 objects=56 used=1 fp=0xffff000040000000 flags=0x200(slab)\n";
        String expected = header("TestSlub_next_ptr_free", "Not tainted", "Freechain corrupt")
                + slab
                + "Object 0xffff000040000000 @offset=0 fp=0xffff000040000011\n\n"
                + "Object   ffff000040000000: " + poison
                + "Object   ffff000040000010: " + poison
                + "Object   ffff000040000020: " + poison
                + "Object   ffff000040000030: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b a5  kkkkkkkkkkkkkkk.\n"
                + header("TestSlub_next_ptr_free", "Tainted: G    B             ",
                        "Wrong object count. Counter is 1 but counted were 55")
                + slab
                + "FIX TestSlub_next_ptr_free: Object count adjusted\n";
        assertThat(s.reports()).containsExactly(expected);
        assertThat(s.errors()).isEqualTo(3);
        s.checkInvariants();
    }

    @Test
    void slabPadding_reportsTheTailAndCountsTwoIn61OneIn612() {
        for (String kernel : new String[] {"6.1", "6.12"}) {
            SlubObjectCache s = slub(kernel);
            int id = s.createCache(new CacheSpec("pad", 64, 0, SlabFlags.POISON, false));
            long q = s.alloc(id, K, 0);
            s.write(q, 4088, new byte[] {0x33});
            s.validate(id);
            String row = "5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZZZZZZZZZ\n";
            String expected = header("pad", "Not tainted",
                    "Padding overwritten. 0xffff000040000ff8-0xffff000040000ff8 @offset=4088")
                    + "Slab 0xfffffc0001000000 objects=56 used=1 fp=0xffff000040000048 flags=0x200(slab)\n"
                    + "Padding ffff000040000fc0: " + row
                    + "Padding ffff000040000fd0: " + row
                    + "Padding ffff000040000fe0: " + row
                    + "Padding ffff000040000ff0: 5a 5a 5a 5a 5a 5a 5a 5a 33 5a 5a 5a 5a 5a 5a 5a  ZZZZZZZZ3ZZZZZZZ\n"
                    + "FIX pad: Restoring slab padding 0xffff000040000ff8-0xffff000040000ff8=0x5a\n";
            assertThat(s.reports()).as(kernel).containsExactly(expected);
            assertThat(s.errors()).as(kernel).isEqualTo(kernel.equals("6.1") ? 2 : 1);
            assertThat(s.read(q, 4088, 1)).containsExactly(0x5a);
        }
    }

    @Test
    void doubleFree_withF_isObjectAlreadyFreeAndNotFreed() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("df", 64, 0, SlabFlags.CONSISTENCY_CHECKS, false));
        long p = s.alloc(id, K, 0);
        s.alloc(id, K, 0);
        s.free(id, p, 0);
        s.free(id, p, 0);
        String report = s.reports().get(0);
        assertThat(report).startsWith(header("df", "Not tainted", "Object already free"));
        assertThat(report).contains("Slab 0xfffffc0001000000 objects=64 used=1 fp=0xffff000040000000 flags=0x200(slab)\n"
                + "Object 0xffff000040000000 @offset=0 fp=0xffff000040000080\n\n");
        assertThat(report).endsWith("FIX df: Object at 0xffff000040000000 not freed\n");
        assertThat(s.errors()).isEqualTo(2);
        s.checkInvariants();
    }

    @Test
    void invalidPointer_withF_isReportedAndNotFreed() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("inv", 64, 0, SlabFlags.CONSISTENCY_CHECKS, false));
        long p = s.alloc(id, K, 0);
        s.free(id, p + 8, 0);
        assertThat(s.reports()).containsExactly(header("inv", "Not tainted", "Invalid object pointer 0xffff000040000008")
                + "Slab 0xfffffc0001000000 objects=64 used=1 fp=0xffff000040000040 flags=0x200(slab)\n"
                + "FIX inv: Object at 0xffff000040000008 not freed\n");
        assertThat(s.cache(id).allocated).isEqualTo(1);
    }

    @Test
    void poisonOfAnObjectPastTheSlabStart_printsBytesBefore() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("poi", 64, 0, SlabFlags.POISON, false));
        s.alloc(id, K, 0);
        long p = s.alloc(id, K, 0);
        s.free(id, p, 0);
        s.write(p, 0, new byte[] {0x78});
        s.validate(id);
        String r = s.reports().get(0);
        assertThat(r).startsWith(header("poi", "Not tainted", "Poison overwritten")
                + "0xffff000040000048-0xffff000040000048 @offset=72. First byte 0x78 instead of 0x6b\n"
                + "Slab 0xfffffc0001000000 objects=56 used=1 fp=0xffff000040000048 flags=0x200(slab)\n"
                + "Object 0xffff000040000048 @offset=72 fp=0xffff000040000090\n\n"
                // object 0 is allocated: its stale free pointer word (at +64) still names object 1 (0x48)
                + "Bytes b4 ffff000040000038: 6b 6b 6b 6b 6b 6b 6b a5 48 00 00 40 00 00 ff ff  kkkkkkk.H..@....\n"
                + "Object   ffff000040000048: 78 6b 6b 6b");
        assertThat(r).endsWith("FIX poi: Restoring Poison 0xffff000040000048-0xffff000040000048=0x6b\n");
    }

    @Test
    void alignmentPadding_withoutRedZoneIsFilledWith5a() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("al", 60, 0, SlabFlags.POISON, false));
        long p = s.alloc(id, K, 0);
        s.write(p, 61, new byte[] {1, 2});
        s.validate(id);
        assertThat(s.reports().get(0)).startsWith(header("al", "Not tainted", "Alignment padding overwritten")
                + "0xffff00004000003d-0xffff00004000003e @offset=61. First byte 0x1 instead of 0x5a\n");
        assertThat(s.reports().get(0)).endsWith(
                "FIX al: Restoring Alignment padding 0xffff00004000003d-0xffff00004000003e=0x5a\n");
        assertThat(s.errors()).isEqualTo(2);
    }

    @Test
    void objectPadding_afterTheTracksIsChecked() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("op", 64, 0, SlabFlags.POISON | SlabFlags.STORE_USER | SlabFlags.RED_ZONE, false));
        SlubCache c = s.cache(id);
        assertThat(c.size).isEqualTo(160);
        long p = s.alloc(id, K, 0);
        s.write(p, 148, new byte[] {7});
        s.validate(id);
        String r = s.reports().get(0);
        assertThat(r).contains("BUG op (Not tainted): Object padding overwritten\n");
        assertThat(r).contains("Allocated in kmem_cache_alloc+0x0/0x0 age=0 cpu=0 pid=0\n"
                + "object allocation/free stack trace missing\n");
        assertThat(r).contains("Padding  ffff000040000098: 5a 5a 5a 5a 07 5a 5a 5a");
        assertThat(r).endsWith("FIX op: Restoring Object padding 0xffff00004000009c-0xffff00004000009c=0x5a\n");
    }

    @Test
    void leakAtDestroy_headerNamesTheCacheIn61NotIn612() {
        SlubObjectCache old = slub("6.1");
        int a = old.createCache(new CacheSpec("leaky", 64, 0, SlabFlags.NO_MERGE, false));
        old.alloc(a, K, 0);
        old.destroyCache(a);
        assertThat(old.reports()).containsExactly(
                header("leaky", "Not tainted", "Objects remaining in leaky on __kmem_cache_shutdown()")
                        + "Slab 0xfffffc0001000000 objects=64 used=1 fp=0xffff000040000040 flags=0x200(slab)\n"
                        + "Object 0xffff000040000000 @offset=0\n",
                "kmem_cache_destroy leaky: Slab cache still has objects when called from 0x0\n");
        SlubObjectCache neu = slub("6.12");
        int b = neu.createCache(new CacheSpec("leaky", 64, 0, SlabFlags.NO_MERGE, false));
        neu.alloc(b, K, 0);
        neu.destroyCache(b);
        assertThat(neu.reports().get(0)).startsWith(header("leaky", "Not tainted", "Objects remaining on __kmem_cache_shutdown()"));
        assertThat(neu.errors()).isEqualTo(2);
    }

    @Test
    void traceOption_logsEveryAllocAndFree() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("tr", 64, 0, SlabFlags.TRACE, false));
        long p = s.alloc(id, K, 0);
        s.free(id, p, 0);
        assertThat(s.reports().get(0)).isEqualTo("TRACE tr alloc 0xffff000040000000 inuse=1 fp=0xffff000040000040\n");
        assertThat(s.reports().get(1)).startsWith("TRACE tr free 0xffff000040000000 inuse=1 fp=0xffff000040000040\n"
                + "Object ffff000040000000: ");
    }

    @Test
    void failedAllocationCheck_retiresTheSlabAndTakesANewOne() {
        SlubObjectCache s = slub("6.1");
        int id = s.createCache(new CacheSpec("ret", 64, 0, SlabFlags.CONSISTENCY_CHECKS | SlabFlags.POISON, false));
        long p = s.alloc(id, K, 0);
        s.alloc(id, K, 0);
        s.free(id, p, 0);
        s.write(p, 10, new byte[] {0});
        long q = s.alloc(id, K, 0);
        assertThat(q).isNotEqualTo(p);
        assertThat(s.reports().get(0)).endsWith("FIX ret: Restoring Poison 0xffff00004000000a-0xffff00004000000a=0x6b\n"
                + "FIX ret: Marking all objects used\n");
        assertThat(s.errors()).isEqualTo(3);
        assertThat(s.cache(id).nrSlabs).isEqualTo(2);
        s.checkInvariants();
    }
}
