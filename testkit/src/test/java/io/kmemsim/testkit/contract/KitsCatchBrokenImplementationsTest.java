package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageAllocatorMisuseException;
import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.OneOf;
import io.kmemsim.api.plugin.Positive;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.Range;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.testkit.support.ForwardingFallbackContext;
import io.kmemsim.testkit.support.ReferencePageAllocator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** Runs the kits against deliberately broken implementations: the kits must fail, on the right tests. */
class KitsCatchBrokenImplementationsTest {

    @Test
    void pageAllocatorKit_failsWhenDoubleFreeIsIgnored() {
        assertThat(failedTests(DoubleFreeIgnoringAllocatorKit.class)).contains("free_twiceThrows").doesNotContain("allocate_neverOverlaps");
    }

    @Test
    void pageAllocatorKit_failsWhenBlocksOverlap() {
        assertThat(failedTests(OverlappingAllocatorKit.class)).contains("allocate_neverOverlaps", "randomSequence_agreesWithReferenceModel");
    }

    @Test
    void workloadKit_failsWhenFailedHandlesAreFreed() {
        assertThat(failedTests(FailureIgnoringWorkloadKit.class)).contains("failedHandles_neverFreed").doesNotContain("sameSeed_sameEvents");
    }

    @Test
    void fallbackKit_failsWhenNoFragmentIsIgnored() {
        assertThat(failedTests(NoFragmentIgnoringPolicyKit.class)).contains("fallback_noFragmentTakesWholePageblocks")
                .doesNotContain("fallback_isDeterministic");
    }

    @Test
    void fallbackKit_failsWhenFallbacksAreNotRecorded() {
        assertThat(failedTests(SilentPolicyKit.class)).contains("fallback_recordsExactlyOneFallbackPerBlock")
                .doesNotContain("fallback_isDeterministic", "fallback_noFragmentTakesWholePageblocks");
    }

    @Test
    void fallbackKit_failsWhenAFallbackIsRecordedTwice() {
        assertThat(failedTests(DoubleRecordingPolicyKit.class)).containsExactly("fallback_recordsExactlyOneFallbackPerBlock");
    }

    @Test
    void fallbackKit_passesTheWellBehavedPolicy() {
        KitRun run = KitRun.of(LargestFirstFallbackContractTest.class);
        assertThat(run.testsRun()).isGreaterThanOrEqualTo(6);
        assertThat(run.failed()).isEmpty();
    }

    @Test
    void providerKit_failsOnABadIdABlankDescriptionAndOptionsItCannotBind() {
        KitRun good = KitRun.of(GoodProviderKit.class);
        assertThat(good.passed()).as("%s", good).isTrue();
        assertThat(KitRun.of(BadIdProviderKit.class).failed()).containsExactly("id_matchesPattern");
        assertThat(KitRun.of(BlankDescriptionProviderKit.class).failed()).containsExactly("description_isOneNonBlankLine");
        assertThat(KitRun.of(UnbindableOptionsProviderKit.class).failed()).contains("optionsType_isBindable");
        assertThat(KitRun.of(DefaultsOutOfRangeProviderKit.class).failed()).contains("defaults_satisfyConstraints");
        assertThat(KitRun.of(CreateFailsProviderKit.class).failed()).containsExactly("create_withDefaults");
    }

    @Test
    void reclaimKit_failsWhenProgressIsInflated() {
        assertThat(failedTests(InflatedProgressReclaimKit.class)).contains("directReclaim_progressIsWhatItFreed")
                .doesNotContain("directReclaim_isDeterministic");
    }

    /** Claims progress it did not make, so the slow path would retry the free lists for nothing. */
    static class InflatedProgressReclaimKit extends ReclaimPolicyContract {
        @Override
        protected io.kmemsim.api.policy.ReclaimPolicy createPolicy(ProviderContext context) {
            return new io.kmemsim.api.policy.ReclaimPolicy() {
                @Override
                public long directReclaim(int order, int gfp, int highestZoneIndex, io.kmemsim.api.policy.ReclaimContext ctx) {
                    return 32;
                }
            };
        }
    }

    private static Set<String> failedTests(Class<?> kit) {
        Set<String> failed = new TreeSet<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && id.getSource().orElse(null) instanceof MethodSource m) {
                    failed.add(m.getMethodName());
                }
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit))
                .filters(EngineFilter.includeEngines("junit-jupiter")).build(), listener);
        return failed;
    }

    static class DoubleFreeIgnoringAllocatorKit extends PageAllocatorContract {
        @Override
        protected PageAllocator createAllocator(ProviderContext context) {
            ReferencePageAllocator delegate = new ReferencePageAllocator(context);
            return new ForwardingAllocator(delegate) {
                @Override
                public void free(long pfn, int order, int cpu) {
                    if (delegate.liveBlocks().containsKey(pfn)) {
                        delegate.free(pfn, order, cpu);
                    }
                }
            };
        }
    }

    static class OverlappingAllocatorKit extends PageAllocatorContract {
        @Override
        protected PageAllocator createAllocator(ProviderContext context) {
            ReferencePageAllocator delegate = new ReferencePageAllocator(context);
            return new ForwardingAllocator(delegate) {
                private int calls;

                @Override
                public long allocate(int order, int gfp, int cpu) {
                    long pfn = delegate.allocate(order, gfp, cpu);
                    if (++calls % 5 == 0 && pfn != NO_PAGE) {
                        delegate.free(pfn, order, cpu);
                    }
                    return pfn;
                }

                @Override
                public void free(long pfn, int order, int cpu) {
                    try {
                        delegate.free(pfn, order, cpu);
                    } catch (PageAllocatorMisuseException alreadyFree) {
                        // the broken allocator forgot this block at allocation time
                    }
                }
            };
        }
    }

    static class FailureIgnoringWorkloadKit extends WorkloadContract {
        @Override
        protected Workload createWorkload(ProviderContext context) {
            SeededPageWorkload w = new SeededPageWorkload(context.seed(), 2000, context.cpus());
            return new Workload() {
                @Override
                public boolean next(Event into) {
                    return w.next(into);
                }
            };
        }
    }

    static class NoFragmentIgnoringPolicyKit extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            return c -> {
                for (int o = c.order(); o <= c.maxOrder(); o++) {
                    for (MigrateType mt : List.of(MigrateType.UNMOVABLE, MigrateType.MOVABLE, MigrateType.RECLAIMABLE)) {
                        long head = mt == c.requested() ? PageAllocator.NO_PAGE : c.headBlock(o, mt);
                        if (head != PageAllocator.NO_PAGE) {
                            return c.takeBlock(head, o, mt);
                        }
                    }
                }
                return PageAllocator.NO_PAGE;
            };
        }
    }

    static class SilentPolicyKit extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            FallbackPolicy good = new LargestFirstFallbackPolicy();
            return c -> good.fallback(new ForwardingFallbackContext(c) {
                @Override
                public void recordFallback(long pfn, int fallbackOrder, MigrateType fallbackType) {
                    // the broken policy forgets the extfrag event
                }
            });
        }
    }

    static class DoubleRecordingPolicyKit extends FallbackPolicyContract {
        @Override
        protected FallbackPolicy createPolicy(ProviderContext context) {
            FallbackPolicy good = new LargestFirstFallbackPolicy();
            return c -> good.fallback(new ForwardingFallbackContext(c) {
                @Override
                public void recordFallback(long pfn, int fallbackOrder, MigrateType fallbackType) {
                    c.recordFallback(pfn, fallbackOrder, fallbackType);
                    c.recordFallback(pfn, fallbackOrder, fallbackType);
                }
            });
        }
    }

    /** A provider of a fallback policy with options, for the provider kit; broken by overriding one answer. */
    static class DemoProvider implements FallbackPolicyProvider<DemoOptions> {
        @Override
        public String id() {
            return "largest-first";
        }

        @Override
        public String description() {
            return "Takes the largest foreign block";
        }

        @Override
        public Class<DemoOptions> optionsType() {
            return DemoOptions.class;
        }

        @Override
        public FallbackPolicy create(DemoOptions options, ProviderContext context) {
            return new LargestFirstFallbackPolicy();
        }
    }

    public record DemoOptions(@Range(min = 0, max = 1) double threshold, @Positive int budget, @OneOf({"a", "b"}) String mode) {
        public DemoOptions() {
            this(0.5, 4, "a");
        }
    }

    public record OutOfRangeOptions(@Range(min = 0, max = 1) double threshold) {
        public OutOfRangeOptions() {
            this(1.5);
        }
    }

    public record UnbindableOptions(Object what) {
        public UnbindableOptions() {
            this("x");
        }
    }

    static class GoodProviderKit extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new DemoProvider();
        }
    }

    static class BadIdProviderKit extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new DemoProvider() {
                @Override
                public String id() {
                    return "Largest_First";
                }
            };
        }
    }

    static class BlankDescriptionProviderKit extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new DemoProvider() {
                @Override
                public String description() {
                    return " ";
                }
            };
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static class UnbindableOptionsProviderKit extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new FallbackPolicyProvider() {
                @Override
                public String id() {
                    return "unbindable";
                }

                @Override
                public String description() {
                    return "options the host cannot bind";
                }

                @Override
                public Class optionsType() {
                    return UnbindableOptions.class;
                }

                @Override
                public Object create(Record options, ProviderContext context) {
                    return new LargestFirstFallbackPolicy();
                }
            };
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static class DefaultsOutOfRangeProviderKit extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new FallbackPolicyProvider() {
                @Override
                public String id() {
                    return "out-of-range";
                }

                @Override
                public String description() {
                    return "defaults outside their declared range";
                }

                @Override
                public Class optionsType() {
                    return OutOfRangeOptions.class;
                }

                @Override
                public Object create(Record options, ProviderContext context) {
                    return new LargestFirstFallbackPolicy();
                }
            };
        }
    }

    static class CreateFailsProviderKit extends ProviderContract {
        @Override
        protected Provider<?, ?> provider() {
            return new DemoProvider() {
                @Override
                public FallbackPolicy create(DemoOptions options, ProviderContext context) {
                    throw new IllegalStateException("needs a platform with two nodes");
                }
            };
        }
    }
}
