package com.example.cheapest;

import io.kmemsim.api.plugin.CompactionPolicyProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;

/** Registers the {@code cheapest-block} compaction policy (META-INF/services). */
public final class CheapestBlockProvider implements CompactionPolicyProvider<CheapestBlockOptions> {

    @Override
    public String id() {
        return "cheapest-block";
    }

    @Override
    public String description() {
        return "Targeted direct compaction: empty the aligned block that needs the fewest migrations, within a page budget";
    }

    @Override
    public Class<CheapestBlockOptions> optionsType() {
        return CheapestBlockOptions.class;
    }

    @Override
    public CompactionPolicy create(CheapestBlockOptions options, ProviderContext context) {
        return new CheapestBlockPolicy(options.minOrder(), options.budget());
    }
}
