package io.kmemsim.policies.reclaim;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.ReclaimPolicyProvider;
import io.kmemsim.api.policy.ReclaimPolicy;

/** The {@code linux} reclaim policy: kswapd, direct reclaim and the OOM killer of 6.1 mm/vmscan.c and mm/oom_kill.c. */
public final class LinuxReclaimProvider implements ReclaimPolicyProvider<LinuxReclaimOptions> {

    @Override
    public String id() {
        return "linux";
    }

    @Override
    public String description() {
        return "Linux reclaim: kswapd, direct reclaim over the two-list LRU, OOM killer (6.1 mm/vmscan.c)";
    }

    @Override
    public Class<LinuxReclaimOptions> optionsType() {
        return LinuxReclaimOptions.class;
    }

    @Override
    public ReclaimPolicy create(LinuxReclaimOptions options, ProviderContext context) {
        return new LinuxReclaimPolicy(options.validated());
    }
}
