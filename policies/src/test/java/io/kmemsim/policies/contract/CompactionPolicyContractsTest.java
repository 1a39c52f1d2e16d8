package io.kmemsim.policies.contract;

import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.policies.compaction.LinuxCompactionOptions;
import io.kmemsim.policies.compaction.LinuxCompactionProvider;
import io.kmemsim.policies.compaction.NoCompactionProvider;
import io.kmemsim.testkit.contract.CompactionPolicyContract;
import org.junit.jupiter.api.Nested;

/** Every compaction policy of this module passes the testkit's conformance kit. */
class CompactionPolicyContractsTest {

    @Nested
    class Linux extends CompactionPolicyContract {
        @Override
        protected CompactionPolicy createPolicy(ProviderContext context) {
            return new LinuxCompactionProvider().create(new LinuxCompactionOptions(), context);
        }
    }

    @Nested
    class None extends CompactionPolicyContract {
        @Override
        protected CompactionPolicy createPolicy(ProviderContext context) {
            return new NoCompactionProvider().create(new NoOptions(), context);
        }
    }
}
