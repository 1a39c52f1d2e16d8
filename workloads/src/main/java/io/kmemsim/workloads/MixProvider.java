package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import java.util.SplittableRandom;

/** {@code mix}: a weighted interleaving of churn, fragmenter, thp and slab-churn (docs/workloads.md). */
public final class MixProvider implements WorkloadProvider<MixOptions> {

    static final String[] PARTS = {"churn", "fragmenter", "thp", "slab-churn", "page-cache"};
    private static final long[] PART_SEEDS = {Seeds.CHURN, Seeds.FRAGMENTER, Seeds.THP, Seeds.SLAB_CHURN, Seeds.PAGE_CACHE};

    @Override
    public String id() {
        return "mix";
    }

    @Override
    public String description() {
        return "A weighted interleaving of churn, fragmenter, thp, slab-churn and page-cache, each with its own options and seed stream";
    }

    @Override
    public Class<MixOptions> optionsType() {
        return MixOptions.class;
    }

    @Override
    public Workload create(MixOptions o, ProviderContext context) {
        String where = "mix option ";
        StreamSettings stream = StreamSettings.of(where, o.events(), o.tickEvery(), o.nsPerEvent());
        WeightTable weights = WeightTable.parse(where, "weights", o.weights(), MixProvider::partIndex);
        ArchEvents arch = ArchEvents.of(ArchSettings.of(where, o.mapUserPages(), o.processes(), o.execFraction(),
                o.dmaFraction(), o.dmaDirections(), o.dmaPartialFraction()), context);
        HandleSpace handles = new HandleSpace();
        Generator[] parts = new Generator[PARTS.length];
        long partSeed = context.seed() ^ Seeds.mix64(Seeds.MIX);
        for (int i = 0; i < PARTS.length; i++) {
            if (weights.probability(i) > 0) {
                parts[i] = part(i, o, context, handles, arch, Seeds.random(partSeed, PART_SEEDS[i]));
            }
        }
        SplittableRandom random = Seeds.random(context.seed(), Seeds.MIX);
        Generator mix = new Generator() {
            @Override
            public void emit(Event into) {
                parts[weights.sample(random)].emit(into);
            }

            @Override
            public java.util.List<io.kmemsim.api.reclaim.Shrinker> shrinkers(io.kmemsim.api.reclaim.CacheObjects objects) {
                java.util.List<io.kmemsim.api.reclaim.Shrinker> all = new java.util.ArrayList<>();
                for (Generator g : parts) {
                    if (g != null) {
                        all.addAll(g.shrinkers(objects));
                    }
                }
                return java.util.List.copyOf(all);
            }

            @Override
            public void forEachCounter(io.kmemsim.api.stats.CounterVisitor visitor) {
                for (Generator g : parts) {
                    if (g != null) {
                        g.forEachCounter(visitor);
                    }
                }
            }
        };
        return new GeneratedWorkload(mix, handles, arch, stream);
    }

    private static Generator part(int i, MixOptions o, ProviderContext context, HandleSpace handles,
                                  ArchEvents arch, SplittableRandom random) {
        String where = "mix option " + PARTS[i] + ".";
        return switch (i) {
            case 0 -> ChurnProvider.generator(where, Checks.given("mix option ", "churn", o.churn()), context, handles, arch, random);
            case 1 -> FragmenterProvider.generator(where, Checks.given("mix option ", "fragmenter", o.fragmenter()),
                    context, handles, arch, random);
            case 2 -> ThpProvider.generator(where, Checks.given("mix option ", "thp", o.thp()), context, handles, arch, random);
            case 3 -> SlabChurnProvider.generator(where, Checks.given("mix option ", "slab-churn", o.slabChurn()),
                    context, handles, random);
            default -> PageCacheProvider.generator(where, Checks.given("mix option ", "page-cache", o.pageCache()),
                    context, handles, random);
        };
    }

    private static int partIndex(String key) {
        for (int i = 0; i < PARTS.length; i++) {
            if (PARTS[i].equals(key)) {
                return i;
            }
        }
        throw new IllegalArgumentException("part must be one of churn, fragmenter, thp, slab-churn, page-cache: " + key);
    }
}
