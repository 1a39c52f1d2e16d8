package io.kmemsim.slub;


import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.testkit.support.RecordingPageAllocator;
import io.kmemsim.testkit.support.TestProviderContext;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The slub_debug grammar and kmem_cache_flags (mm/slub.c: setup_slub_debug(), parse_slub_debug_flags() (6.1)). */
class SlubDebugParamTest {

    private static final long F = SlabFlags.CONSISTENCY_CHECKS;
    private static final long Z = SlabFlags.RED_ZONE;
    private static final long P = SlabFlags.POISON;
    private static final long U = SlabFlags.STORE_USER;

    private static SlubDebugParam parse(String v) {
        return SlubDebugParam.parse(v, KernelVersion.parse("6.1"));
    }

    @Test
    void notGiven_debugsNothing_andNoValueDebugsEverythingFzpu() {
        assertThat(parse(null).flagsFor("dentry", 0)).isZero();
        assertThat(parse(null).enabled()).isFalse();
        assertThat(parse("").flagsFor("dentry", 0)).isEqualTo(F | Z | P | U);
    }

    @Test
    void globalLetters_areCaseInsensitiveAndDashClearsTheBlock() {
        assertThat(parse("FZPU").flagsFor("x", 0)).isEqualTo(F | Z | P | U);
        assertThat(parse("fzpuTA").flagsFor("x", 0)).isEqualTo(F | Z | P | U | SlabFlags.TRACE | SlabFlags.FAILSLAB);
        assertThat(parse("F-Z").flagsFor("x", 0)).isEqualTo(Z);
        assertThat(parse("F;Z").flagsFor("x", 0)).as("the last global block wins").isEqualTo(Z);
    }

    @Test
    void cacheLists_applyOnlyToTheirCachesAndTheGlobalStaysOff() {
        SlubDebugParam p = parse("FZ,kmalloc-64");
        assertThat(p.flagsFor("kmalloc-64", SlabFlags.KMALLOC)).isEqualTo(F | Z | SlabFlags.KMALLOC);
        assertThat(p.flagsFor("kmalloc-640", 0)).as("exact match without *").isZero();
        assertThat(p.flagsFor("dentry", 0)).isZero();
    }

    @Test
    void blocksAndWildcards_firstMatchingBlockReplacesTheGlobal() {
        SlubDebugParam p = parse("U,dentry;Z,kmalloc-*");
        assertThat(p.flagsFor("dentry", 0)).isEqualTo(U);
        assertThat(p.flagsFor("kmalloc-32", 0)).isEqualTo(Z);
        assertThat(p.flagsFor("kmalloc-cg-32", 0)).isEqualTo(Z);
        assertThat(p.flagsFor("inode_cache", 0)).isZero();
        SlubDebugParam q = parse("FZ;-,zs_handle,zspage");
        assertThat(q.flagsFor("zs_handle", 0)).isZero();
        assertThat(q.flagsFor("zspage", 0)).isZero();
        assertThat(q.flagsFor("dentry", 0)).isEqualTo(F | Z);
        assertThat(parse(",dentry").flagsFor("dentry", 0)).isEqualTo(F | Z | P | U);
        assertThat(parse(";;Z,a;;").flagsFor("a", 0)).isEqualTo(Z);
    }

    @Test
    void noUserFlagsCaches_ignoreItAndNoLeakTraceDropsGlobalU() {
        SlubDebugParam p = parse("FZPU");
        assertThat(p.flagsFor("k", SlabFlags.NO_USER_FLAGS)).isEqualTo(SlabFlags.NO_USER_FLAGS);
        assertThat(p.flagsFor("k", SlabFlags.NOLEAKTRACE)).isEqualTo(SlabFlags.NOLEAKTRACE | F | Z | P);
        assertThat(parse("U,k").flagsFor("k", SlabFlags.NOLEAKTRACE)).isEqualTo(SlabFlags.NOLEAKTRACE | U);
    }

    @Test
    void oLetter_setsTheGlobalHigherOrderSwitch() {
        assertThat(parse("FZPUO").higherOrderDisable()).isTrue();
        assertThat(parse("O,dentry").higherOrderDisable()).isTrue();
        assertThat(parse("FZPU").higherOrderDisable()).isFalse();
    }

    @Test
    void unknownLetter_isRefusedNamingItWithTheKernelsMessage() {
        assertThatThrownBy(() -> parse("FQ,dentry"))
                .hasMessage("slub-debug: option 'Q' unknown in block \"FQ,dentry\" (the kernel prints: slub_debug option 'Q' unknown. skipped)");
        assertThatThrownBy(() -> SlubDebugParam.parse("x", KernelVersion.parse("6.12")))
                .hasMessageContaining("slab_debug option 'x' unknown. skipped");
    }

    @Test
    void slubOption_appliesToKmallocCachesAndStopsMerging() {
        SlubObjectCache s = (SlubObjectCache) new SlubProvider().create(new SlubOptions().withArch("x86_64").withSlubDebug("Z,kmalloc-64"),
                TestProviderContext.forObjectCache("6.1", 4, new RecordingPageAllocator(1 << 12, 0x40000)));
        SlubCache k = s.kmallocCache("kmalloc-64");
        assertThat(k.debug).isTrue();
        // mm/slub.c: calculate_sizes() (6.1): s = 64 + 8 (Z, no gap) = 72, + 8 trailing word, red_left_pad = ALIGN(8, 64) = 64 for the
        // naturally aligned kmalloc-64 (mm/slab_common.c: setup_kmalloc_cache_index_table() (6.1); include/linux/slab.h: ARCH_KMALLOC_MINALIGN (6.1)), 144 rounded up to 64 = 192
        assertThat(k.size).isEqualTo(192);
        assertThat(k.redLeftPad).isEqualTo(64);
        assertThat(s.kmallocCache("kmalloc-128").debug).isFalse();
        int a = s.createCache(new io.kmemsim.api.slab.CacheSpec("kmalloc-64x", 64, 0, 0, false));
        assertThat(s.cache(a).debug).isFalse();
    }

    @Test
    void oOption_dropsMetadataWhereTheMinimumOrderWouldGrow() {
        SlubObjectCache s = (SlubObjectCache) new SlubProvider().create(new SlubOptions().withArch("x86_64").withSlubDebug("FZPUO"),
                TestProviderContext.forObjectCache("6.1", 4, new RecordingPageAllocator(1 << 12, 0x40000)));
        SlubCache big = s.kmallocCache("kmalloc-4k");
        assertThat(big.flags & (Z | P | U)).isZero();
        assertThat(big.flags & F).isEqualTo(F);
        assertThat(big.size).isEqualTo(4096);
        assertThat(s.kmallocCache("kmalloc-64").flags & (Z | P | U)).isEqualTo(Z | P | U);
    }
}
