package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeatureTest {

    /** Versions on both sides of every boundary kmemsim knows, including the stable backports. */
    private static final List<String> PROBES = List.of("3.4", "3.10", "4.19", "5.0", "5.4", "5.10", "5.10.0", "5.13", "5.15",
            "5.19", "6.0", "6.1.0", "6.1.96", "6.1.97", "6.1.104", "6.1.115", "6.1.116", "6.1.157", "6.1.176", "6.1", "6.2",
            "6.3", "6.5", "6.6", "6.7", "6.8", "6.9", "6.10", "6.11", "6.12.0", "6.12.18", "6.12.19", "6.12.28", "6.12.29",
            "6.12.46", "6.12.54", "6.12.65", "6.12.75", "6.12.94", "6.12", "6.13.6", "6.13.7", "6.14", "6.15", "6.16",
            "6.17", "6.18.47", "6.18.48", "6.19");

    @ParameterizedTest(name = "{0} in {1}: {2}")
    @CsvSource({
        // backports: a bare 6.1 is judged as 6.1.192, the newest point release kmemsim describes
        "ALLOC_FLAGS_REWORK, 6.1.115, false", "ALLOC_FLAGS_REWORK, 6.1.116, true", "ALLOC_FLAGS_REWORK, 6.1, true",
        "ALLOC_FLAGS_REWORK, 6.2, false", "ALLOC_FLAGS_REWORK, 6.3, true",
        "PCP_LIST_FOR_THP_SPLIT, 6.1.96, false", "PCP_LIST_FOR_THP_SPLIT, 6.1.97, true", "PCP_LIST_FOR_THP_SPLIT, 6.8, false",
        "PCP_SCALE_CAP, 6.1.103, false", "PCP_SCALE_CAP, 6.1.104, true", "PCP_SCALE_CAP, 6.6, false", "PCP_SCALE_CAP, 6.7, true",
        "FALLBACK_CLAIM_THEN_STEAL, 6.12.28, false", "FALLBACK_CLAIM_THEN_STEAL, 6.12.29, true",
        "FALLBACK_CLAIM_THEN_STEAL, 6.14, false", "FALLBACK_CLAIM_THEN_STEAL, 6.15, true",
        "HIGHATOMIC_NEEDS_GFP_HIGH, 6.1.156, false", "HIGHATOMIC_NEEDS_GFP_HIGH, 6.1.157, true",
        "HIGHATOMIC_NEEDS_GFP_HIGH, 6.6, false", "HIGHATOMIC_NEEDS_GFP_HIGH, 6.12.54, true",
        // a later stable fix removes a behaviour again
        "LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE, 6.6, false", "LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE, 6.10, true",
        "LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE, 6.12.18, true", "LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE, 6.12.19, false",
        "LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE, 6.13.6, true", "LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE, 6.13.7, false",
        "LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE, 6.14, false",
        // removals and series-only facts
        "GFP_ATOMIC_FLAG, 6.1, true", "GFP_ATOMIC_FLAG, 6.3, false", "SLAB_ALLOCATOR_REMOVED, 6.6, false",
        "SLAB_ALLOCATOR_REMOVED, 6.8, true", "ROCKCHIP_BSP_6_1, 6.1.0, true", "ROCKCHIP_BSP_6_1, 6.2, false",
        "ARM64_SECTION_SIZE_REDUCED, 5.11, false", "ARM64_SECTION_SIZE_REDUCED, 5.12, true", "ARM64_SECTION_SIZE_REDUCED, 6.1, true",
        "ARM64_A76_TLBI_SYNC, 6.1.175, false", "ARM64_A76_TLBI_SYNC, 6.1.176, true", "ARM64_A76_TLBI_SYNC, 6.6, false",
        "ARM64_A76_TLBI_SYNC, 6.19, false", "ARM64_A76_TLBI_SYNC, 6.18.48, true",
        "MAX_ORDER_INCLUSIVE, 6.3, false", "MAX_ORDER_INCLUSIVE, 6.4, true", "MIGRATE_CMA, 3.4, false", "MIGRATE_CMA, 3.5, true"
    })
    void spans_matchTheKernelHistory(Feature feature, String version, boolean expected) {
        assertThat(KernelVersion.parse(version).has(feature)).isEqualTo(expected);
    }

    @Test
    void everyFeature_isDescribedAndSeparatesSomeVersions() {
        for (Feature f : Feature.values()) {
            assertThat(f.summary()).as(f.name()).isNotBlank();
            assertThat(f.origin()).as(f.name()).isNotBlank();
            assertThat(f.span().toString()).as(f.name()).isNotBlank();
            long with = PROBES.stream().filter(v -> KernelVersion.parse(v).has(f)).count();
            assertThat(with).as(f.name() + " holds for some probed version").isPositive();
            assertThat(with).as(f.name() + " fails for some probed version").isLessThan(PROBES.size());
        }
    }

    @Test
    void ruleFamilies_ofTheVersionType_areTheFeatures() {
        for (String v : PROBES) {
            KernelVersion k = KernelVersion.parse(v);
            assertThat(k.allocFlagsReworked()).as(v).isEqualTo(k.has(Feature.ALLOC_FLAGS_REWORK));
            assertThat(k.hasGfpAtomic()).as(v).isEqualTo(k.has(Feature.GFP_ATOMIC_FLAG));
            assertThat(k.maxOrderInclusive()).as(v).isEqualTo(k.has(Feature.MAX_ORDER_INCLUSIVE));
            assertThat(k.tracePfnHex()).as(v).isEqualTo(k.has(Feature.TRACE_PFN_HEX));
        }
        assertThat(KernelVersion.parse("6.12.28").fallbackEra()).isEqualTo(KernelVersion.FallbackEra.STRICT_FREELISTS);
        assertThat(KernelVersion.parse("6.12.29").fallbackEra()).isEqualTo(KernelVersion.FallbackEra.CLAIM_THEN_STEAL);
        assertThat(KernelVersion.parse("6.9").fallbackEra()).isEqualTo(KernelVersion.FallbackEra.STEAL_AND_MOVE);
    }

    @Test
    void span_saysItsVersionsInWords() {
        assertThat(Feature.ALLOC_FLAGS_REWORK.span()).hasToString("6.3+, 6.1.116+");
        assertThat(Feature.GFP_ATOMIC_FLAG.span()).hasToString("before 6.3");
        assertThat(Feature.ROCKCHIP_BSP_6_1.span()).hasToString("6.1 series");
        assertThat(Feature.LOWMEM_RESERVE_ZERO_FOR_EMPTY_ZONE.span()).hasToString("6.10 until 6.14; not 6.12.19+; not 6.13.7+");
        assertThat(Feature.ARM64_A76_TLBI_SYNC.span()).hasToString("6.1.176+, 6.12.94+, 6.18.48+");
    }
}
