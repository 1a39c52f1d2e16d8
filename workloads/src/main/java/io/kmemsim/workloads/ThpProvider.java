package io.kmemsim.workloads;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Workload;
import java.util.SplittableRandom;

/** {@code thp}: bursts of transparent-huge-page faults against background churn (docs/workloads.md). */
public final class ThpProvider implements WorkloadProvider<ThpOptions> {

    @Override
    public String id() {
        return "thp";
    }

    @Override
    public String description() {
        return "Bursts of transparent huge page (PMD-order, GFP_TRANSHUGE*) faults against a background of small allocations";
    }

    @Override
    public Class<ThpOptions> optionsType() {
        return ThpOptions.class;
    }

    @Override
    public Workload create(ThpOptions options, ProviderContext context) {
        String where = "thp option ";
        StreamSettings stream = StreamSettings.of(where, options.events(), options.tickEvery(), options.nsPerEvent());
        ArchEvents arch = ArchEvents.of(ArchSettings.of(where, options.mapUserPages(), options.processes(),
                options.execFraction(), options.dmaFraction(), options.dmaDirections(), options.dmaPartialFraction()), context);
        HandleSpace handles = new HandleSpace();
        Generator generator = generator(where, options, context, handles, arch, Seeds.random(context.seed(), Seeds.THP));
        return new GeneratedWorkload(generator, handles, arch, stream);
    }

    /** The thp generator (also a part of {@code mix}); validates every option but the stream and arch-event settings. */
    static Generator generator(String where, ThpOptions o, ProviderContext context, HandleSpace handles,
                               ArchEvents arch, SplittableRandom random) {
        KernelConfig config = context.kernelConfig();
        if (!config.transparentHugepage()) {
            throw new IllegalArgumentException("the thp workload needs CONFIG_TRANSPARENT_HUGEPAGE, which the "
                    + "scenario's kernel configuration has off"
                    + (where.startsWith("mix") ? "; give thp weight 0 in mix option weights" : ""));
        }
        int maxOrder = PageGfp.maxOrder(context);
        int order = o.order() == -1 ? config.pageSize().hugetlbOrder() : o.order();
        if (o.order() != -1) {
            Checks.inRange(where, "order", o.order(), 0, maxOrder);
        } else if (order > maxOrder) {
            throw new IllegalArgumentException(where + "order -1 means the PMD order " + order + " of "
                    + config.pageSize().label() + " pages, above the largest buddy order " + maxOrder);
        }
        Checks.positive(where, "burst-size", o.burstSize());
        Checks.atLeast(where, "burst-interval", o.burstInterval(), o.burstSize());
        Checks.positive(where, "thp-mean-lifetime", o.thpMeanLifetime());
        Checks.atLeast(where, "fallback-pages", o.fallbackPages(), 0);
        Checks.positive(where, "background-mean-lifetime", o.backgroundMeanLifetime());
        int gfp = gfp(where, Checks.given(where, "defrag", o.defrag()), o.madvised());
        WeightTable orders = WeightTable.parse(where, "background-order-weights", o.backgroundOrderWeights(),
                k -> PageGfp.parseOrder(k, maxOrder));
        WeightTable types = WeightTable.parse(where, "background-migrate-weights", o.backgroundMigrateWeights(),
                PageGfp::parseMigrateType);
        LiveSet thps = handles.newSet(true);
        PageChurn background = new PageChurn(handles.newSet(true), orders, types, 0, context.cpus(),
                1.0 / o.backgroundMeanLifetime(), 0, context.kernel(), maxOrder, arch);
        return new ThpGenerator(random, thps, background, order, gfp, context.cpus(), o);
    }

    /**
     * The gfp of a THP fault for a {@code defrag} setting, as {@code vma_thp_gfp_mask()} (mm/huge_memory.c,
     * 5.10 – 6.x; named {@code alloc_hugepage_direct_gfpmask()} before 5.10) chooses it.
     */
    static int gfp(String where, String defrag, boolean madvised) {
        return switch (defrag) {
            case "always" -> Gfp.GFP_TRANSHUGE | (madvised ? 0 : Gfp.NORETRY);
            case "defer" -> Gfp.GFP_TRANSHUGE_LIGHT | Gfp.KSWAPD_RECLAIM;
            case "defer+madvise" -> Gfp.GFP_TRANSHUGE_LIGHT | (madvised ? Gfp.DIRECT_RECLAIM : Gfp.KSWAPD_RECLAIM);
            case "madvise" -> Gfp.GFP_TRANSHUGE_LIGHT | (madvised ? Gfp.DIRECT_RECLAIM : 0);
            case "never" -> Gfp.GFP_TRANSHUGE_LIGHT;
            default -> throw new IllegalArgumentException(where
                    + "defrag must be always, defer, defer+madvise, madvise or never: " + defrag);
        };
    }
}
