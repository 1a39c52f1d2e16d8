package io.kmemsim.slub;


import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestProviderContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scenarios of lib/slub_kunit.c (suite {@code slub_test}) with the error counts lib/slub_kunit.c: test_cases[] (6.1)
 * gives per version, counted by the rules of lib/slub_kunit.c: slab_errors (6.1). Each test runs on the versions that have it.
 */
class SlubKunitTest {

    private static final int K = Gfp.GFP_KERNEL;

    private SlubObjectCache s;

    private SlubObjectCache slub(String kernel) {
        s = (SlubObjectCache) new SlubProvider().create(new SlubOptions().withSlubDebug("FZPU"),
                TestProviderContext.forObjectCache(kernel, 4, new RecordingPageAllocator(1 << 14, 0x40000)));
        return s;
    }

    /** kunit caches ignore slub_debug (SLAB_NO_USER_FLAGS) and, from 6.3, skip kfence (lib/slub_kunit.c: test_cases[] (6.1)). */
    private int cache(String kernel, String name, int size, long flags) {
        long f = flags | SlabFlags.NO_USER_FLAGS | (s.kernel.atLeast(6, 3) ? SlabFlags.SKIP_KFENCE : 0);
        return s.createCache(new CacheSpec(name, size, 0, f, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.6", "6.12", "6.18"})
    void testClobberZone_allocatedRightRedzoneCountsTwo(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_RZ_alloc", 64, SlabFlags.RED_ZONE);
        long p = s.alloc(id, K, 0);
        s.write(p, 64, new byte[] {0x12});
        s.validate(id);
        assertThat(s.errors()).isEqualTo(2);
        assertThat(s.reports().get(0)).contains("Right Redzone");
        s.free(id, p, 0);
        s.destroyCache(id);
        s.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.6", "6.12", "6.18"})
    void testNextPointer_countsThreeThenTwoThenZero(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_next_ptr_free", 64, SlabFlags.POISON);
        SlubCache c = s.cache(id);
        assertThat(c.offset).isEqualTo(64);
        long p = s.alloc(id, K, 0);
        s.free(id, p, 0);
        byte[] saved = s.read(p, c.offset, 8);
        s.write(p, c.offset, new byte[] {(byte) ~saved[0]});
        s.validate(id);
        assertThat(s.errors()).isEqualTo(3);
        s.checkInvariants();
        s.write(p, c.offset, saved);
        s.resetErrors();
        s.validate(id);
        assertThat(s.errors()).isEqualTo(2);
        s.resetErrors();
        s.validate(id);
        assertThat(s.errors()).isZero();
        s.destroyCache(id);
        s.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.6", "6.12", "6.18"})
    void testFirstWord_poisonCountsTwo(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_1th_word_free", 64, SlabFlags.POISON);
        long p = s.alloc(id, K, 0);
        s.free(id, p, 0);
        s.write(p, 0, new byte[] {0x78});
        s.validate(id);
        assertThat(s.errors()).isEqualTo(2);
        s.destroyCache(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.6", "6.12", "6.18"})
    void testClobber50thByte_poisonCountsTwo(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_50th_word_free", 64, SlabFlags.POISON);
        long p = s.alloc(id, K, 0);
        s.free(id, p, 0);
        s.write(p, 50, new byte[] {(byte) 0x9a});
        s.validate(id);
        assertThat(s.errors()).isEqualTo(2);
        s.destroyCache(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.1", "6.6", "6.12", "6.18"})
    void testClobberRedzoneFree_countsTwo(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_RZ_free", 64, SlabFlags.RED_ZONE);
        long p = s.alloc(id, K, 0);
        s.free(id, p, 0);
        s.write(p, 64, new byte[] {(byte) 0xab});
        s.validate(id);
        assertThat(s.errors()).isEqualTo(2);
        s.destroyCache(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.6", "6.12", "6.18"})
    void testKmallocRedzoneAccess_countsTwo(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_RZ_kmalloc", 32, SlabFlags.KMALLOC | SlabFlags.STORE_USER | SlabFlags.RED_ZONE);
        long p = s.kmallocFrom(id, 18, K, 0);
        s.write(p, 18, new byte[] {(byte) 0xab, (byte) 0xab});
        s.validate(id);
        assertThat(s.errors()).isEqualTo(2);
        assertThat(s.reports().get(0)).contains("kmalloc Redzone");
        s.kfree(p, 0);
        s.destroyCache(id);
        s.checkInvariants();
    }

    /** kfree_rcu is a plain free here (no grace period is modelled); destroy right after must be clean. */
    @ParameterizedTest
    @ValueSource(strings = {"6.12", "6.18"})
    void testKfreeRcu_countsZero(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_kfree_rcu", 16, SlabFlags.NO_MERGE);
        long p = s.alloc(id, K, 0);
        s.kfree(p, 0);
        s.destroyCache(id);
        assertThat(s.errors()).isZero();
        assertThat(s.reports()).isEmpty();
        s.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.18"})
    void testKfreeRcuWqDestroy_tenRoundsCountZero(String kernel) {
        slub(kernel);
        for (int round = 0; round < 10; round++) {
            int id = cache(kernel, "TestSlub_kfree_rcu_wq_destroy", 16, SlabFlags.NO_MERGE);
            long p = s.alloc(id, K, round % 4);
            s.kfree(p, (round + 1) % 4);
            s.destroyCache(id);
        }
        assertThat(s.errors()).isZero();
        s.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.12", "6.18"})
    void testLeakDestroy_countsSlabAndObjectAndKeepsTheCache(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_leak_destroy", 64, SlabFlags.NO_MERGE);
        SlubCache c = s.cache(id);
        s.alloc(id, K, 0);
        s.destroyCache(id);
        assertThat(s.errors()).isEqualTo(2);
        assertThat(c.live).isTrue();
        assertThat(s.slabinfo()).anyMatch(r -> r.name().equals("TestSlub_leak_destroy"));
        s.checkInvariants();
    }

    @ParameterizedTest
    @ValueSource(strings = {"6.18"})
    void testKreallocRedzoneZeroing_keepsPointerAndRedzones(String kernel) {
        slub(kernel);
        int id = cache(kernel, "TestSlub_krealloc", 64, SlabFlags.KMALLOC | SlabFlags.STORE_USER | SlabFlags.RED_ZONE);
        long p = s.kmallocFrom(id, 48, K, 0);
        s.write(p, 0, filled(48, (byte) 0xff));
        assertThat(s.krealloc(p, 40, K | Gfp.ZERO, 0)).isEqualTo(p);
        assertThat(s.read(p, 40, 24)).containsOnly((byte) 0xcc);
        assertThat(s.krealloc(p, 56, K | Gfp.ZERO, 0)).isEqualTo(p);
        assertThat(s.read(p, 40, 16)).containsOnly((byte) 0);
        assertThat(s.read(p, 56, 8)).containsOnly((byte) 0xcc);
        s.validate(id);
        assertThat(s.errors()).isZero();
        s.write(p, 0, filled(56, (byte) 0xff));
        long q = s.krealloc(p, 112, K | Gfp.ZERO, 0);
        assertThat(q).isNotEqualTo(p);
        assertThat(s.ksize(q)).isEqualTo(128);
        assertThat(s.cache(id).allocated).isZero();
        s.kfree(q, 0);
        s.destroyCache(id);
        assertThat(s.errors()).isZero();
        s.checkInvariants();
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        java.util.Arrays.fill(a, b);
        return a;
    }
}
