package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Workload;
import java.util.SplittableRandom;

/** {@code churn}: steady mixed-order page allocation and freeing (docs/workloads.md). */
public final class ChurnProvider implements WorkloadProvider<ChurnOptions> {

    @Override
    public String id() {
        return "churn";
    }

    @Override
    public String description() {
        return "Steady mixed-order page allocation and freeing with configurable order, migrate-type and lifetime distributions";
    }

    @Override
    public Class<ChurnOptions> optionsType() {
        return ChurnOptions.class;
    }

    @Override
    public Workload create(ChurnOptions options, ProviderContext context) {
        String where = "churn option ";
        StreamSettings stream = StreamSettings.of(where, options.events(), options.tickEvery(), options.nsPerEvent());
        ArchEvents arch = ArchEvents.of(ArchSettings.of(where, options.mapUserPages(), options.processes(),
                options.execFraction(), options.dmaFraction(), options.dmaDirections(), options.dmaPartialFraction()), context);
        HandleSpace handles = new HandleSpace();
        Generator generator = generator(where, options, context, handles, arch, Seeds.random(context.seed(), Seeds.CHURN));
        return new GeneratedWorkload(generator, handles, arch, stream);
    }

    /** The churn generator (also a part of {@code mix}); validates every option but the stream and arch-event settings. */
    static Generator generator(String where, ChurnOptions o, ProviderContext context, HandleSpace handles,
                               ArchEvents arch, SplittableRandom random) {
        int maxOrder = PageGfp.maxOrder(context);
        WeightTable orders = WeightTable.parse(where, "order-weights", o.orderWeights(),
                k -> PageGfp.parseOrder(k, maxOrder));
        WeightTable types = WeightTable.parse(where, "migrate-weights", o.migrateWeights(), PageGfp::parseMigrateType);
        Checks.inRange(where, "atomic-fraction", o.atomicFraction(), 0.0, 1.0);
        double perBlock = 0;
        double perPage = 0;
        switch (Checks.given(where, "lifetime", o.lifetime())) {
            case "geometric" -> {
                Checks.positive(where, "mean-lifetime", o.meanLifetime());
                perBlock = 1.0 / o.meanLifetime();
            }
            case "live-target" -> {
                Checks.inOpenClosed(where, "live-target", o.liveTarget(), 1.0);
                perPage = 0.5 / Math.max(1.0, o.liveTarget() * PageGfp.memoryPages(context));
            }
            default -> throw new IllegalArgumentException(where + "lifetime must be geometric or live-target: " + o.lifetime());
        }
        PageChurn churn = new PageChurn(handles.newSet(true), orders, types, o.atomicFraction(), context.cpus(),
                perBlock, perPage, context.kernel(), maxOrder, arch);
        return into -> churn.emit(into, random);
    }
}
