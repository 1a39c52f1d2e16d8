package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.List;
import java.util.OptionalLong;
import org.apiguardian.api.API;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link Platform} contract. Extend it and create your platform from the context the kit passes
 * (which, like the host's, knows only the kernel and the seed):
 *
 * <pre>{@code
 * class Rock5bPlusPlatformContractTest extends PlatformContract {
 *     @Override
 *     protected Platform createPlatform(ProviderContext context) {
 *         return new Rock5bPlusProvider().create(new Rock5bPlusOptions(), context);
 *     }
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class PlatformContract {

    private Platform platform;

    /** Creates the platform from a context that has only the kernel and the seed. */
    protected abstract Platform createPlatform(ProviderContext context);

    /** The kernel the platform is created for. */
    protected KernelVersion kernel() {
        return KernelVersion.parse("6.1");
    }

    private Platform create() {
        return createPlatform(TestProviderContext.builder().kernel(kernel()).build());
    }

    @BeforeEach
    void setUpPlatform() {
        platform = create();
    }

    private long pageBytes() {
        return platform.kernelConfig().pageSize().bytes();
    }

    @Nested
    @DisplayName("identity")
    class Identity {

        @Test
        @DisplayName("has a name and at least one CPU, each with a core type")
        void identity_nameAndCpus() {
            assertThat(platform.name()).isNotBlank();
            assertThat(platform.cpus()).isPositive();
            for (int cpu = 0; cpu < platform.cpus(); cpu++) {
                assertThat(platform.coreType(cpu)).as("core type of cpu %d", cpu).isNotBlank();
            }
        }

        @Test
        @DisplayName("is deterministic: two creations describe the same machine")
        void identity_deterministic() {
            Platform again = create();
            assertThat(again.name()).isEqualTo(platform.name());
            assertThat(again.banks()).isEqualTo(platform.banks());
            assertThat(again.reserved()).isEqualTo(platform.reserved());
            assertThat(again.kernelConfig()).isEqualTo(platform.kernelConfig());
            for (ZoneType z : ZoneType.values()) {
                assertThat(again.zoneLimitPfn(z)).isEqualTo(platform.zoneLimitPfn(z));
            }
        }
    }

    @Nested
    @DisplayName("memory banks")
    class Banks {

        @Test
        @DisplayName("are sorted, non-overlapping and page aligned")
        void banks_sortedDisjointAligned() {
            List<MemoryBank> banks = platform.banks();
            assertThat(banks).isNotEmpty();
            long previousEnd = -1;
            for (MemoryBank b : banks) {
                assertThat(b.base()).as("bank %s starts after the previous one ends", b).isGreaterThan(previousEnd);
                assertThat(b.base() % pageBytes()).as("bank %s base page aligned", b).isZero();
                assertThat(b.size() % pageBytes()).as("bank %s size a multiple of the page size", b).isZero();
                previousEnd = b.end();
            }
        }

        @Test
        @DisplayName("contain every reserved range, and reserved ranges are sorted and disjoint")
        void reserved_insideBanks() {
            long previousEnd = -1;
            for (ReservedRange r : platform.reserved()) {
                assertThat(r.base()).as("reserved %s starts after the previous one ends", r).isGreaterThan(previousEnd);
                previousEnd = r.end();
                assertThat(insideBanks(r.base(), r.end())).as("reserved %s lies inside RAM", r).isTrue();
            }
        }

        private boolean insideBanks(long first, long last) {
            long p = first;
            for (MemoryBank b : platform.banks()) {
                if (p >= b.base() && p <= b.end()) {
                    if (last <= b.end()) {
                        return true;
                    }
                    p = b.end() + 1;
                }
            }
            return false;
        }
    }

    @Nested
    @DisplayName("zone limits")
    class ZoneLimits {

        @Test
        @DisplayName("exist exactly for the configured DMA, DMA32 and Normal zones")
        void zoneLimits_matchConfig() {
            KernelConfig c = platform.kernelConfig();
            assertThat(platform.zoneLimitPfn(ZoneType.DMA).isPresent()).as("DMA limit iff CONFIG_ZONE_DMA").isEqualTo(c.zoneDma());
            assertThat(platform.zoneLimitPfn(ZoneType.DMA32).isPresent()).as("DMA32 limit iff CONFIG_ZONE_DMA32").isEqualTo(c.zoneDma32());
            assertThat(platform.zoneLimitPfn(ZoneType.NORMAL)).as("Normal limit").isPresent();
        }

        @Test
        @DisplayName("are monotone and the Normal limit covers all RAM")
        void zoneLimits_monotone() {
            long previous = 0;
            for (ZoneType z : List.of(ZoneType.DMA, ZoneType.DMA32, ZoneType.NORMAL)) {
                OptionalLong limit = platform.zoneLimitPfn(z);
                if (limit.isPresent()) {
                    assertThat(limit.getAsLong()).as("limit of %s >= the zone below", z).isGreaterThanOrEqualTo(previous);
                    previous = limit.getAsLong();
                }
            }
            long lastPfn = platform.banks().get(platform.banks().size() - 1).end() / pageBytes();
            assertThat(platform.zoneLimitPfn(ZoneType.NORMAL).getAsLong()).as("Normal limit above the last RAM page").isGreaterThan(lastPfn);
        }

        @Test
        @DisplayName("agree with the CMA configuration")
        void cma_consistentWithConfig() {
            assertThat(platform.cmaBytes()).isNotNegative();
            if (platform.cmaBytes() > 0) {
                assertThat(platform.kernelConfig().cma()).as("CMA bytes need CONFIG_CMA").isTrue();
                assertThat(platform.cmaBytes() % pageBytes()).as("CMA size page aligned").isZero();
            }
        }
    }
}
