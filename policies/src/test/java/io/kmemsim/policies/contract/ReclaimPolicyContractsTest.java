package io.kmemsim.policies.contract;

import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.policies.reclaim.ContiguityReclaimProvider;
import io.kmemsim.policies.reclaim.LinuxReclaimOptions;
import io.kmemsim.policies.reclaim.LinuxReclaimProvider;
import io.kmemsim.policies.reclaim.NoReclaimProvider;
import io.kmemsim.testkit.contract.ReclaimPolicyContract;
import org.junit.jupiter.api.Nested;

/** Every reclaim policy of this module passes the testkit's conformance kit. */
class ReclaimPolicyContractsTest {

    @Nested
    class Linux extends ReclaimPolicyContract {
        @Override
        protected ReclaimPolicy createPolicy(ProviderContext context) {
            return new LinuxReclaimProvider().create(new LinuxReclaimOptions(), context);
        }
    }

    @Nested
    class Contiguity extends ReclaimPolicyContract {
        @Override
        protected ReclaimPolicy createPolicy(ProviderContext context) {
            return new ContiguityReclaimProvider().create(new LinuxReclaimOptions(), context);
        }
    }

    @Nested
    class None extends ReclaimPolicyContract {
        @Override
        protected ReclaimPolicy createPolicy(ProviderContext context) {
            return new NoReclaimProvider().create(new NoOptions(), context);
        }
    }
}
