package com.example.cheapest;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.plugin.CompactionPolicyProvider;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.testkit.contract.CompactionPolicyContract;
import io.kmemsim.testkit.contract.KitRun;
import io.kmemsim.testkit.contract.ProviderContract;
import io.kmemsim.testkit.support.ForwardingCompactionContext;
import org.junit.jupiter.api.Test;

/**
 * Proves the kits guard this plugin: run on the real policy they run tests and pass; run on a copy broken
 * in one way they fail, on the test that names that way. If a kit stopped running (a zero-test run) or
 * stopped checking, this test fails.
 */
class MutantsTest {

    @Test
    void theRealPolicyAndProvider_passTheirKits() {
        KitRun policy = KitRun.of(CheapestBlockContractTest.class);
        KitRun provider = KitRun.of(CheapestBlockProviderContractTest.class);
        assertThat(policy.testsRun()).as("compaction kit tests run").isGreaterThanOrEqualTo(4);
        assertThat(provider.testsRun()).as("provider kit tests run").isGreaterThanOrEqualTo(6);
        assertThat(policy.failed()).isEmpty();
        assertThat(provider.failed()).isEmpty();
    }

    @Test
    void aPolicyThatLeaksIsolatedMemory_fails() {
        assertThat(KitRun.of(LeaksRemainders.class).failed()).contains("compactDirect_successMeansFreeBlock");
    }

    @Test
    void aPolicyThatClaimsSuccessWithoutAFreeBlock_fails() {
        assertThat(KitRun.of(ClaimsSuccess.class).failed()).contains("compactDirect_successMeansFreeBlock");
    }

    @Test
    void aProviderWithAnInvalidId_fails() {
        assertThat(KitRun.of(InvalidId.class).failed()).containsExactly("id_matchesPattern");
    }

    @Test
    void aBudgetOfZero_breaksTheDeclaredConstraint() {
        assertThat(KitRun.of(ZeroBudget.class).failed()).contains("defaults_satisfyConstraints");
    }

    private static CompactionPolicy real(ProviderContext context) {
        return new CheapestBlockProvider().create(new CheapestBlockOptions(), context);
    }

    /** Forwards everything to the real policy; a mutant overrides one call. */
    private static class Forwarding implements CompactionPolicy {
        final CompactionPolicy real;

        Forwarding(CompactionPolicy real) {
            this.real = real;
        }

        @Override
        public CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext context) {
            return real.compactDirect(order, gfp, priority, context);
        }

        @Override
        public void onTick(long nowNanos, CompactionContext context) {
            real.onTick(nowNanos, context);
        }

        @Override
        public void compactNode(CompactionContext context) {
            real.compactNode(context);
        }
    }

    static class LeaksRemainders extends CompactionPolicyContract {
        @Override
        protected CompactionPolicy createPolicy(ProviderContext context) {
            return new Forwarding(real(context)) {
                @Override
                public CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext c) {
                    return real.compactDirect(order, gfp, priority, new ForwardingCompactionContext(c) {
                        @Override
                        public void releaseFreeBlock(long pfn, int blockOrder) {
                            // broken: the rest of an isolated block is never given back
                        }
                    });
                }
            };
        }
    }

    static class ClaimsSuccess extends CompactionPolicyContract {
        @Override
        protected CompactionPolicy createPolicy(ProviderContext context) {
            return new Forwarding(real(context)) {
                @Override
                public CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext c) {
                    CompactionResult r = real.compactDirect(order, gfp, priority, c);
                    return r == CompactionResult.NOT_ATTEMPTED ? r : CompactionResult.SUCCESS;
                }
            };
        }
    }

    static class InvalidId extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            CheapestBlockProvider real = new CheapestBlockProvider();
            return new CompactionPolicyProvider<CheapestBlockOptions>() {
                @Override
                public String id() {
                    return "cheapest block";
                }

                @Override
                public String description() {
                    return real.description();
                }

                @Override
                public Class<CheapestBlockOptions> optionsType() {
                    return real.optionsType();
                }

                @Override
                public CompactionPolicy create(CheapestBlockOptions options, ProviderContext context) {
                    return real.create(options, context);
                }
            };
        }
    }

    static class ZeroBudget extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new CheapestBlockProvider();
        }

        @Override
        protected Record options() {
            return new CheapestBlockOptions(4, 0);
        }
    }
}
