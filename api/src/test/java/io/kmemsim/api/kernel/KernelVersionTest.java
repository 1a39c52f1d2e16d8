package io.kmemsim.api.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.kernel.KernelVersion.FallbackEra;
import org.junit.jupiter.api.Test;

class KernelVersionTest {

    @Test
    void parse_acceptsSeriesAndPointReleases() {
        assertThat(KernelVersion.parse("5.10").toString()).isEqualTo("5.10");
        assertThat(KernelVersion.parse("6.12.19").sublevel()).isEqualTo(19);
        assertThat(KernelVersion.parse("v6.1.0-29-arm64").toString()).isEqualTo("6.1.0");
        assertThatThrownBy(() -> KernelVersion.parse("six")).hasMessageContaining("\"six\"");
        assertThatThrownBy(() -> KernelVersion.parse("6")).hasMessageContaining("6.12.19");
    }

    @Test
    void bareVersion_meansNewestDescribedPointRelease() {
        assertThat(KernelVersion.parse("6.1").allocFlagsReworked()).isTrue();
        assertThat(KernelVersion.parse("6.1.115").allocFlagsReworked()).isFalse();
        assertThat(KernelVersion.parse("6.1.116").allocFlagsReworked()).isTrue();
        assertThat(KernelVersion.parse("6.12").fallbackEra()).isEqualTo(FallbackEra.CLAIM_THEN_STEAL);
        assertThat(KernelVersion.parse("6.12.19").fallbackEra()).isEqualTo(FallbackEra.STRICT_FREELISTS);
        assertThat(KernelVersion.parse("6.6").fallbackEra()).isEqualTo(FallbackEra.STEAL_AND_MOVE);
        assertThat(KernelVersion.parse("6.18").fallbackEra()).isEqualTo(FallbackEra.CLAIM_THEN_STEAL);
    }

    @Test
    void requireOneOf_listsSupportedProfiles() {
        assertThatThrownBy(() -> KernelVersion.parse("4.19").requireOneOf("buddy", "5.10", "6.1"))
                .hasMessage("buddy does not support kernel 4.19; supported kernel profiles: 5.10, 6.1");
    }

    @Test
    void pageOrders_followReferenceTables() {
        KernelConfig arm = KernelConfig.ARM64_DISTRO;
        KernelVersion v61 = KernelVersion.parse("6.1");
        assertThat(PageOrders.maxOrder(v61, arm)).isEqualTo(10);
        assertThat(PageOrders.pageblockOrder(v61, arm)).isEqualTo(9);
        assertThat(PageOrders.maxOrder(v61, arm.withPageSize(PageSize.SIZE_16K))).isEqualTo(11);
        assertThat(PageOrders.pageblockOrder(v61, arm.withPageSize(PageSize.SIZE_16K))).isEqualTo(11);
        assertThat(PageOrders.maxOrder(v61, arm.withPageSize(PageSize.SIZE_64K))).isEqualTo(13);
        assertThat(PageOrders.pageblockOrder(v61, arm.withPageSize(PageSize.SIZE_64K))).isEqualTo(13);
    }
}
