package com.example.claimthreshold;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.testkit.contract.FallbackPolicyContract;
import io.kmemsim.testkit.contract.KitRun;
import io.kmemsim.testkit.contract.ProviderContract;
import io.kmemsim.testkit.support.ForwardingFallbackContext;
import org.junit.jupiter.api.Test;

/**
 * Proves the kits guard this plugin: run on the real policy they run tests and pass; run on a copy broken
 * in one way they fail, on the test that names that way. If a kit stopped running (a zero-test run) or
 * stopped checking, this test fails.
 */
class MutantsTest {

    @Test
    void theRealPolicyAndProvider_passTheirKits() {
        KitRun policy = KitRun.of(ClaimThresholdContractTest.class);
        KitRun provider = KitRun.of(ClaimThresholdProviderContractTest.class);
        assertThat(policy.testsRun()).as("fallback kit tests run").isGreaterThanOrEqualTo(6);
        assertThat(provider.testsRun()).as("provider kit tests run").isGreaterThanOrEqualTo(6);
        assertThat(policy.failed()).isEmpty();
        assertThat(provider.failed()).isEmpty();
    }

    @Test
    void aPolicyThatNeverRecordsItsFallbacks_fails() {
        assertThat(KitRun.of(NeverRecords.class).failed()).containsExactly("fallback_recordsExactlyOneFallbackPerBlock");
    }

    @Test
    void aPolicyThatRecordsAFallbackTwice_fails() {
        assertThat(KitRun.of(RecordsTwice.class).failed()).containsExactly("fallback_recordsExactlyOneFallbackPerBlock");
    }

    @Test
    void aPolicyThatIgnoresNoFragment_fails() {
        assertThat(KitRun.of(IgnoresNoFragment.class).failed()).contains("fallback_noFragmentTakesWholePageblocks");
    }

    @Test
    void aProviderWithAnInvalidId_fails() {
        assertThat(KitRun.of(InvalidId.class).failed()).containsExactly("id_matchesPattern");
    }

    @Test
    void defaultsOutsideTheDeclaredRange_fail() {
        assertThat(KitRun.of(ThresholdAboveOne.class).failed()).contains("defaults_satisfyConstraints");
    }

    private static FallbackPolicy real(ProviderContext context) {
        return new ClaimThresholdProvider().create(new ClaimThresholdOptions(), context);
    }

    static class NeverRecords extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            FallbackPolicy policy = real(context);
            return c -> policy.fallback(new ForwardingFallbackContext(c) {
                @Override
                public void recordFallback(long pfn, int fallbackOrder, MigrateType fallbackType) {
                    // broken: the extfrag event is lost
                }
            });
        }
    }

    static class RecordsTwice extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            FallbackPolicy policy = real(context);
            return c -> policy.fallback(new ForwardingFallbackContext(c) {
                @Override
                public void recordFallback(long pfn, int fallbackOrder, MigrateType fallbackType) {
                    c.recordFallback(pfn, fallbackOrder, fallbackType);
                    c.recordFallback(pfn, fallbackOrder, fallbackType);
                }
            });
        }
    }

    static class IgnoresNoFragment extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            FallbackPolicy policy = real(context);
            return c -> policy.fallback(new ForwardingFallbackContext(c) {
                @Override
                public boolean noFragment() {
                    return false;
                }
            });
        }
    }

    static class InvalidId extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            ClaimThresholdProvider real = new ClaimThresholdProvider();
            return new FallbackPolicyProvider<ClaimThresholdOptions>() {
                @Override
                public String id() {
                    return "Claim_Threshold";
                }

                @Override
                public String description() {
                    return real.description();
                }

                @Override
                public Class<ClaimThresholdOptions> optionsType() {
                    return real.optionsType();
                }

                @Override
                public FallbackPolicy create(ClaimThresholdOptions options, ProviderContext context) {
                    return real.create(options, context);
                }
            };
        }
    }

    static class ThresholdAboveOne extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new ClaimThresholdProvider();
        }

        @Override
        protected Record options() {
            return new ClaimThresholdOptions(1.5, 0, "largest-first");
        }
    }
}
