package io.kmemsim.policies.contract;

import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.policies.fallback.AlwaysClaimProvider;
import io.kmemsim.policies.fallback.LinuxFallbackOptions;
import io.kmemsim.policies.fallback.LinuxFallbackProvider;
import io.kmemsim.policies.fallback.NeverClaimProvider;
import io.kmemsim.policies.fallback.NoFallbackProvider;
import io.kmemsim.testkit.contract.FallbackPolicyContract;
import org.junit.jupiter.api.Nested;

/** Every fallback policy of this module passes the testkit's conformance kit. */
class FallbackPolicyContractsTest {

    @Nested
    class Linux extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            return new LinuxFallbackProvider().create(new LinuxFallbackOptions(), context);
        }
    }

    @Nested
    class NoFallback extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            return new NoFallbackProvider().create(new NoOptions(), context);
        }
    }

    @Nested
    class AlwaysClaim extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            return new AlwaysClaimProvider().create(new NoOptions(), context);
        }
    }

    @Nested
    class NeverClaim extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            return new NeverClaimProvider().create(new NoOptions(), context);
        }
    }
}
