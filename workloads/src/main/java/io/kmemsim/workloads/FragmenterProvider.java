package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Workload;
import java.util.SplittableRandom;

/** {@code fragmenter}: long-lived unmovable allocations scattered through movable fill/drain cycles (docs/workloads.md). */
public final class FragmenterProvider implements WorkloadProvider<FragmenterOptions> {

    @Override
    public String id() {
        return "fragmenter";
    }

    @Override
    public String description() {
        return "Long-lived unmovable allocations interleaved with movable fill/drain cycles, scattering unmovable pages over pageblocks";
    }

    @Override
    public Class<FragmenterOptions> optionsType() {
        return FragmenterOptions.class;
    }

    @Override
    public Workload create(FragmenterOptions options, ProviderContext context) {
        String where = "fragmenter option ";
        StreamSettings stream = StreamSettings.of(where, options.events(), options.tickEvery(), options.nsPerEvent());
        ArchEvents arch = ArchEvents.of(ArchSettings.of(where, options.mapUserPages(), options.processes(),
                options.execFraction(), options.dmaFraction(), options.dmaDirections(), options.dmaPartialFraction()), context);
        HandleSpace handles = new HandleSpace();
        Generator generator = generator(where, options, context, handles, arch,
                Seeds.random(context.seed(), Seeds.FRAGMENTER));
        return new GeneratedWorkload(generator, handles, arch, stream);
    }

    /** The fragmenter generator (also a part of {@code mix}); validates every option but the stream and arch-event settings. */
    static FragmenterGenerator generator(String where, FragmenterOptions o, ProviderContext context,
                                         HandleSpace handles, ArchEvents arch, SplittableRandom random) {
        int maxOrder = PageGfp.maxOrder(context);
        Checks.inOpenClosed(where, "fill-fraction", o.fillFraction(), 1.0);
        Checks.inRange(where, "unmovable-fraction", o.unmovableFraction(), 0.0, o.fillFraction());
        Checks.inHalfOpen(where, "drain-fraction", o.drainFraction(), 0.0, o.fillFraction());
        Checks.inRange(where, "unmovable-turnover", o.unmovableTurnover(), 0.0, 1.0);
        Checks.inHalfOpen(where, "churn-rate", o.churnRate(), 0.0, 0.5);
        Checks.atLeast(where, "phases", o.phases(), 1);
        WeightTable unmovableOrders = WeightTable.parse(where, "unmovable-order-weights", o.unmovableOrderWeights(),
                k -> PageGfp.parseOrder(k, maxOrder));
        WeightTable movableOrders = WeightTable.parse(where, "movable-order-weights", o.movableOrderWeights(),
                k -> PageGfp.parseOrder(k, maxOrder));
        WeightTable onlyUnmovable = WeightTable.of(new int[] {PageGfp.UNMOVABLE}, new double[] {1});
        WeightTable onlyMovable = WeightTable.of(new int[] {PageGfp.MOVABLE}, new double[] {1});
        PageChurn movable = new PageChurn(handles.newSet(true), movableOrders, onlyMovable, 0, context.cpus(),
                0, 0, context.kernel(), maxOrder, arch);
        PageChurn unmovable = new PageChurn(handles.newSet(true), unmovableOrders, onlyUnmovable, 0, context.cpus(),
                0, 0, context.kernel(), maxOrder, arch);
        return new FragmenterGenerator(random, movable, unmovable, PageGfp.memoryPages(context),
                unmovableOrders.mean(k -> 1L << k), movableOrders.mean(k -> 1L << k), o);
    }
}
