package io.kmemsim.policies.contract;

import io.kmemsim.api.plugin.Provider;
import io.kmemsim.policies.compaction.LinuxCompactionProvider;
import io.kmemsim.policies.compaction.NoCompactionProvider;
import io.kmemsim.policies.fallback.AlwaysClaimProvider;
import io.kmemsim.policies.fallback.LinuxFallbackProvider;
import io.kmemsim.policies.fallback.NeverClaimProvider;
import io.kmemsim.policies.fallback.NoFallbackProvider;
import io.kmemsim.testkit.contract.ProviderContract;
import org.junit.jupiter.api.Nested;

/** Every provider of this module passes the testkit's provider kit (id, description, options, create). */
class ProviderContractsTest {

    @Nested
    class LinuxFallback extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new LinuxFallbackProvider();
        }
    }

    @Nested
    class NoFallback extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new NoFallbackProvider();
        }
    }

    @Nested
    class AlwaysClaim extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new AlwaysClaimProvider();
        }
    }

    @Nested
    class NeverClaim extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new NeverClaimProvider();
        }
    }

    @Nested
    class LinuxCompaction extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new LinuxCompactionProvider();
        }
    }

    @Nested
    class NoCompaction extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new NoCompactionProvider();
        }
    }
}
