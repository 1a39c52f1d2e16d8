package io.kmemsim.policies.fallback;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion.FallbackEra;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;

/** The kernel's migrate-type fallback for the scenario's kernel version (mm/page_alloc.c: __rmqueue_fallback() (6.1); mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.12); mm/page_alloc.c: __rmqueue_claim(), __rmqueue_steal() (6.15)). */
public final class LinuxFallbackProvider implements FallbackPolicyProvider<LinuxFallbackOptions> {

    @Override
    public String id() {
        return "linux";
    }

    @Override
    public String description() {
        return "Linux migrate-type fallback per kernel version: steal-and-move (5.10-6.8), strict free lists (6.10-6.14), claim then steal (6.15+, 6.12.29+)";
    }

    @Override
    public Class<LinuxFallbackOptions> optionsType() {
        return LinuxFallbackOptions.class;
    }

    @Override
    public FallbackPolicy create(LinuxFallbackOptions options, ProviderContext context) {
        KernelVersion kernel = context.kernel();
        FallbackEra era = switch (options.era()) {
            case "auto" -> kernel.fallbackEra();
            case "steal-and-move" -> FallbackEra.STEAL_AND_MOVE;
            case "strict-freelists" -> FallbackEra.STRICT_FREELISTS;
            case "claim-then-steal" -> FallbackEra.CLAIM_THEN_STEAL;
            default -> throw new IllegalArgumentException(
                    "linux fallback option era must be auto, steal-and-move, strict-freelists or claim-then-steal: " + options.era());
        };
        return new LinuxFallbackPolicy(era, kernel.has(Feature.FALLBACK_NO_FRAGMENT_HIGH_ORDERS));
    }
}
