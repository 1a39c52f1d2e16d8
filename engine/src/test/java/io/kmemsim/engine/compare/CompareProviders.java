package io.kmemsim.engine.compare;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.PageAllocatorProvider;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.ProviderEntry;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.testkit.support.ReferencePageAllocator;
import io.kmemsim.testkit.support.TestPlatforms;
import java.util.List;

/**
 * Providers for comparison tests: the testkit's 16 MiB one-zone board (4096 pages from PFN 0x40000,
 * Normal only, max order 10, pageblock order 9), the testkit's reference allocator with fixed policy
 * counters, and a workload that allocates the orders it is given and never frees.
 */
final class CompareProviders {

    private CompareProviders() {
    }

    static ProviderLookup lookup() {
        return ProviderLookup.of(List.of(
                new ProviderEntry(PluginKind.PLATFORM, new Board(), "", "1", "classpath"),
                new ProviderEntry(PluginKind.PAGE_ALLOCATOR, new Counted(), "", "1", "classpath"),
                new ProviderEntry(PluginKind.WORKLOAD, new Orders(), "", "1", "classpath")));
    }

    static final class Board implements PlatformProvider<NoOptions> {
        @Override
        public String id() {
            return "one-zone";
        }

        @Override
        public String description() {
            return "16 MiB, Normal only";
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public Platform create(NoOptions options, ProviderContext context) {
            return TestPlatforms.oneZone();
        }
    }

    /** Policy counters the allocator reports, as if its policies had done that much. */
    record CountedOptions(long extfrag, long stalls, long migrated) {
        public CountedOptions() {
            this(0, 0, 0);
        }
    }

    static final class Counted implements PageAllocatorProvider<CountedOptions> {
        @Override
        public String id() {
            return "counted";
        }

        @Override
        public String description() {
            return "the reference allocator with fixed policy counters";
        }

        @Override
        public Class<CountedOptions> optionsType() {
            return CountedOptions.class;
        }

        @Override
        public PageAllocator create(CountedOptions options, ProviderContext context) {
            ReferencePageAllocator ref = new ReferencePageAllocator(context);
            return new PageAllocator() {
                @Override
                public long allocate(int order, int gfp, int cpu) {
                    return ref.allocate(order, gfp, cpu);
                }

                @Override
                public void free(long pfn, int order, int cpu) {
                    ref.free(pfn, order, cpu);
                }

                @Override
                public int maxOrder() {
                    return ref.maxOrder();
                }

                @Override
                public int pageblockOrder() {
                    return ref.pageblockOrder();
                }

                @Override
                public List<? extends Zone> zones() {
                    return ref.zones();
                }

                @Override
                public void drainPerCpuLists() {
                }

                @Override
                public void checkInvariants() {
                    ref.checkInvariants();
                }

                @Override
                public void forEachCounter(CounterVisitor v) {
                    v.counter("nr_free_pages", ref.zones().get(0).freePages());
                    v.counter("pgmigrate_success", options.migrated());
                    v.counter("compact_stall", options.stalls());
                    v.counter("kmemsim_extfrag_events", options.extfrag());
                }
            };
        }
    }

    record OrdersOptions(List<Integer> orders) {
        public OrdersOptions() {
            this(List.of());
        }
    }

    static final class Orders implements WorkloadProvider<OrdersOptions> {
        @Override
        public String id() {
            return "orders";
        }

        @Override
        public String description() {
            return "allocates the given orders in turn, GFP_KERNEL on CPU 0";
        }

        @Override
        public Class<OrdersOptions> optionsType() {
            return OrdersOptions.class;
        }

        @Override
        public Workload create(OrdersOptions options, ProviderContext context) {
            return new Workload() {
                private int i;

                @Override
                public boolean next(Event into) {
                    if (i >= options.orders().size()) {
                        return false;
                    }
                    into.pageAlloc(i, options.orders().get(i), 0xcc0, 0);
                    i++;
                    return true;
                }
            };
        }
    }
}
