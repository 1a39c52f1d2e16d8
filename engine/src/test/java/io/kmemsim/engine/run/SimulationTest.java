package io.kmemsim.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationTest {

    private final TestProviders.Set providers = new TestProviders.Set();

    private Scenario parse(String yaml, String... set) {
        return new ScenarioLoader(providers.lookup()).parse(yaml, "t.yaml", "t", ScenarioLoader.Format.YAML,
                List.of(set));
    }

    /** A scenario playing {@code script}, with {@code extra} top-level YAML appended (later keys replace). */
    private Scenario scenario(List<String> set, String... script) {
        StringBuilder yaml = new StringBuilder("""
                kernel: "6.1"
                seed: 7
                platform: test-board
                page-allocator: test-allocator
                workload:
                  id: script
                  options:
                    script: []
                """);
        List<String> all = new ArrayList<>(set);
        StringBuilder list = new StringBuilder("workload.options.script=[");
        for (int i = 0; i < script.length; i++) {
            list.append(i == 0 ? "" : ", ").append('"').append(script[i]).append('"');
        }
        all.add(0, list.append(']').toString());
        return parse(yaml.toString(), all.toArray(String[]::new));
    }

    private Scenario scenario(String... script) {
        return scenario(List.of(), script);
    }

    @Test
    void events_driveTheAllocator_andTheResultCountsThemPerOrder() {
        RunResult r = new Simulation(scenario("alloc 1 0", "alloc 2 1 1", "free 1 0", "free 2 1", "alloc 3 3")).run();

        assertThat(providers.allocator.last.log).containsExactly(
                "alloc o0 cpu0 -> 0", "alloc o1 cpu1 -> 2", "free 0 o0", "free 2 o1", "alloc o3 cpu0 -> 0");
        assertThat(r.events()).isEqualTo(5);
        assertThat(r.allocSuccessByOrder()).containsExactly(1, 1, 0, 1);
        assertThat(r.allocFailureByOrder()).containsExactly(0, 0, 0, 0);
        assertThat(r.pages()).isEqualTo(new PageTotals(3, 0, 2, 0, 0));
        assertThat(r.scenarioName()).isEqualTo("t");
        assertThat(r.kernel()).isEqualTo("6.1");
        assertThat(r.providers()).containsExactly(new ProviderUse("platform", "test-board", "", "1"),
                new ProviderUse("page-allocator", "test-allocator", "", "2"),
                new ProviderUse("workload", "script", "", "3"));
        assertThat(r.counters()).containsExactly(Map.entry("arch", Map.of()),
                Map.entry("page-allocator", Map.of("nr_used_pages", 8L, "nr_free_pages", 56L)),
                Map.entry("workload", Map.of()));
        assertThat(r.counters().get("page-allocator").keySet()).containsExactly("nr_used_pages", "nr_free_pages");
        assertThat(providers.workload.last.closed).isTrue();
    }

    @Test
    void compactMemoryEvent_compactsTheNodeThroughTheAllocator_andRefusesOtherNodes() {
        new Simulation(scenario("alloc 1 0", "compact -1", "compact 0")).run();
        assertThat(providers.allocator.last.log).containsExactly("alloc o0 cpu0 -> 0", "compact_memory", "compact_memory");

        assertThatThrownBy(() -> new Simulation(scenario("compact 1")).run())
                .isInstanceOf(PluginFailureException.class).hasMessageContaining("compact_memory of node 1");
    }

    @Test
    void failedAllocation_isToldToTheWorkload_countedPerOrder_andItsFreeIsUnknown() {
        Scenario s = scenario(List.of("page-allocator.options.pages=8"),
                "alloc 1 3", "alloc 2 0", "alloc 3 2", "free 2 0", "free 1 3", "free 1 3");

        RunResult r = new Simulation(s).run();

        assertThat(providers.workload.last.failed).containsExactly(2L, 3L);
        assertThat(r.allocSuccessByOrder()).containsExactly(0, 0, 0, 1);
        assertThat(r.allocFailureByOrder()).containsExactly(1, 0, 1, 0);
        assertThat(r.pages()).isEqualTo(new PageTotals(1, 2, 1, 2, 0));
        assertThat(providers.allocator.last.log).containsExactly(
                "alloc o3 cpu0 -> 0", "alloc o0 cpu0 -> none", "alloc o2 cpu0 -> none", "free 0 o3");
    }

    @Test
    void throwingAllocator_failsTheRun_namingThePluginAndAllocate_andTellsTheObserver() {
        Scenario s = scenario(List.of("page-allocator.options.fail-in=allocate"), "tick 5", "alloc 1 0");
        List<String> seen = new ArrayList<>();
        RunObserver observer = new RunObserver() {
            @Override
            public void failed(RunState state, RuntimeException failure) {
                seen.add("failed after " + state.eventsProcessed() + ": " + failure.getMessage());
            }
        };

        PluginFailureException e = catchThrowableOfType(PluginFailureException.class,
                () -> new Simulation(s).observer(observer).run());

        assertThat(e.providerId()).isEqualTo("test-allocator");
        assertThat(e.operation()).isEqualTo("allocate");
        assertThat(e).hasMessage("page-allocator plugin 'test-allocator' failed in allocate: "
                + "IllegalStateException: allocator bug");
        assertThat(seen).containsExactly("failed after 2: " + e.getMessage());
        assertThat(providers.workload.last.closed).isTrue();
    }

    @Test
    void throwingWorkload_failsTheRun_namingNext() {
        Scenario s = scenario(List.of("workload.options.fail-in=next"), "alloc 1 0", "alloc 2 0");

        assertThatThrownBy(() -> new Simulation(s).run())
                .isInstanceOf(PluginFailureException.class)
                .hasMessage("workload plugin 'script' failed in next: IllegalStateException: workload ran off its script");
    }

    @Test
    void throwingCreate_failsTheRun_namingCreate() {
        Scenario s = scenario(List.of("platform.options.fail-in=create"), "alloc 1 0");

        PluginFailureException e = catchThrowableOfType(PluginFailureException.class, () -> new Simulation(s).run());

        assertThat(e.providerId()).isEqualTo("test-board");
        assertThat(e.operation()).isEqualTo("create");
        assertThat(e).hasMessage("platform plugin 'test-board' failed in create: IllegalStateException: board exploded");
    }

    @Test
    void failingInvariantCheck_namesCheckInvariants() {
        Scenario s = scenario(List.of("page-allocator.options.fail-in=checkInvariants", "run.check-invariants-every=2"),
                "alloc 1 0", "alloc 2 0");

        assertThatThrownBy(() -> new Simulation(s).run())
                .isInstanceOf(PluginFailureException.class)
                .hasMessage("page-allocator plugin 'test-allocator' failed in checkInvariants: "
                        + "IllegalStateException: free list corrupt");
    }

    @Test
    void createRejectingItsOptions_isAnInputProblemAtTheComponent() {
        Scenario s = parse("""
                kernel: "6.1"
                platform: test-board
                page-allocator: { id: test-allocator, options: { pages: 0 } }
                workload: { id: script, options: { script: [] } }
                """);

        assertThatThrownBy(() -> new Simulation(s).run())
                .isInstanceOf(InputException.class)
                .hasMessage("t.yaml:3:23: page-allocator: page-allocator 'test-allocator' cannot be created: "
                        + "pages must be > 0: 0");
    }

    @Test
    void askingTheContextTooEarly_namesTheMissingComponent() {
        Scenario s = scenario(List.of("platform.options.fail-in=context"), "alloc 1 0");

        assertThatThrownBy(() -> new Simulation(s).run())
                .isInstanceOf(PluginFailureException.class)
                .hasMessageContaining("platform plugin 'test-board' failed in create")
                .hasMessageContaining("ProviderContext.pageAllocator() is not available yet: "
                        + "the page-allocator is not created yet");
    }

    @Test
    void context_givesLaterComponentsWhatExists_andScenarioCpusOverrideThePlatform() {
        Scenario s = scenario(List.of("cpus=3"), "alloc 1 0 2");

        new Simulation(s).run();

        ProviderContext context = providers.allocator.last.context;
        assertThat(context.cpus()).isEqualTo(3);
        assertThat(context.seed()).isEqualTo(7);
        assertThat(context.platform().name()).isEqualTo("test-board");
        assertThat(context.fallbackPolicy()).isEmpty();
        assertThat(context.compactionPolicy()).isSameAs(CompactionPolicy.NONE);
        assertThat(context.archHooks()).isSameAs(ArchHooks.NONE);
        assertThat(context.kernelConfig()).isEqualTo(KernelConfig.ARM64_DISTRO);
        assertThat(providers.allocator.last.log).containsExactly("alloc o0 cpu2 -> 0");
    }

    @Test
    void workloadBreakingItsContract_failsAsNext() {
        assertThatThrownBy(() -> new Simulation(scenario("alloc 1 4")).run())
                .isInstanceOf(PluginFailureException.class)
                .hasMessage("workload plugin 'script' failed in next: IllegalStateException: "
                        + "PAGE_ALLOC order must be in [0, 3]: 4");
        assertThatThrownBy(() -> new Simulation(scenario("alloc 1 0 2")).run())
                .hasMessage("workload plugin 'script' failed in next: IllegalStateException: "
                        + "PAGE_ALLOC cpu must be in [0, 1]: 2");
        assertThatThrownBy(() -> new Simulation(scenario("alloc 1 0", "alloc 1 1")).run())
                .hasMessage("workload plugin 'script' failed in next: IllegalStateException: "
                        + "PAGE_ALLOC handle 1 is already live");
        assertThatThrownBy(() -> new Simulation(scenario("alloc 1 1", "free 1 0")).run())
                .hasMessage("workload plugin 'script' failed in next: IllegalStateException: "
                        + "PAGE_FREE handle 1 has order 0, but was allocated with order 1");
        assertThatThrownBy(() -> new Simulation(scenario("alloc 1 0", "free 1 0", "fault 1")).run())
                .hasMessage("workload plugin 'script' failed in next: IllegalStateException: "
                        + "PAGE_FAULT names allocation 1, which is not live");
        assertThat(new Simulation(scenario("alloc 1 0", "fault 1")).run().events()).isEqualTo(2);
    }

    @Test
    void migration_makesHandlesFollowTheirBlocks() {
        Scenario s = scenario(List.of("page-allocator.options.migrate-on-tick=true"),
                "alloc 1 0", "alloc 2 1", "tick 100", "free 1 0", "tick 200", "free 2 1");

        RunResult r = new Simulation(s).run();

        assertThat(providers.allocator.last.log).containsExactly(
                "alloc o0 cpu0 -> 0", "alloc o1 cpu0 -> 2",
                "tick 100", "migrate 0 -> 63", "free 63 o0",
                "tick 200", "migrate 2 -> 62", "free 62 o1");
        assertThat(r.pages()).isEqualTo(new PageTotals(2, 0, 2, 0, 2));
        assertThat(r.ticks()).isEqualTo(2);
        assertThat(r.simulatedNanos()).isEqualTo(200);
    }

    @Test
    void runs_areDeterministic_andFollowTheSeed() {
        Scenario s = scenario(List.of("workload.options.random=5000", "page-allocator.options.pages=256"));
        RunResult first = new Simulation(s).run();
        RunResult second = new Simulation(s).run();
        Scenario other = scenario(List.of("workload.options.random=5000", "page-allocator.options.pages=256",
                "seed=8"));
        RunResult third = new Simulation(other).run();

        assertThat(second.withWallNanos(0)).isEqualTo(first.withWallNanos(0));
        assertThat(first.events()).isEqualTo(5000);
        assertThat(first.pages().failed()).isPositive();
        assertThat(third.withWallNanos(0)).isNotEqualTo(first.withWallNanos(0));
    }

    @Test
    void objectCacheEvents_withoutAnObjectCache_areAClearInputError() {
        assertThatThrownBy(() -> new Simulation(scenario("kmalloc 1 64")).run())
                .isInstanceOf(InputException.class)
                .hasMessage("t.yaml: object-cache: workload 'script' produced a KMALLOC event, which needs an "
                        + "object-cache, and the scenario names none (add e.g. object-cache: { id: slub })");
    }

    @Test
    void objectCacheEvents_mapHandlesToAddresses() {
        Scenario s = scenario(List.of("object-cache.id=test-cache"),
                "kmalloc 1 64", "kmalloc 2 9000", "kfree 1", "kfree 2", "kfree -1",
                "create 7 dentry 192", "calloc 7 10", "cfree 7 10", "cfree 7 10", "destroy 7");

        RunResult r = new Simulation(s).run();

        assertThat(providers.cache.last.log).containsExactly(
                "kmalloc 64 -> ffff000000001000", "kmalloc 9000 -> none", "kfree ffff000000001000", "kfree 0",
                "create dentry 192", "alloc 0 -> ffff000000001040", "free 0 ffff000000001040", "destroy 0");
        assertThat(providers.workload.last.failed).containsExactly(2L);
        assertThat(r.slab()).isEqualTo(new SlabTotals(1, 1, 2, 1, 1, 1, 1, 0, 1, 1));
        assertThat(r.counters()).containsKeys("arch", "page-allocator", "object-cache");
        assertThat(r.providers()).contains(new ProviderUse("object-cache", "test-cache", "test-plugin", "4"));
    }

    @Test
    void checkInvariantsEvery_checksAfterEveryNthEvent() {
        Scenario s = scenario(List.of("run.check-invariants-every=2"), "alloc 1 0", "alloc 2 0", "alloc 3 0",
                "alloc 4 0", "alloc 5 0");

        new Simulation(s).run();

        assertThat(providers.allocator.last.invariantChecks).isEqualTo(2);
    }

    @Test
    void tickNanos_ticksEachTimeTheSimulatedTimePassesAMultiple() {
        Scenario s = scenario(List.of("run.tick-nanos=100"), "at 50 1", "at 250 2", "at 260 3");

        RunResult r = new Simulation(s).run();

        assertThat(providers.allocator.last.log).containsExactly(
                "alloc o0 cpu0 -> 0", "tick 100", "tick 200", "alloc o0 cpu0 -> 1", "alloc o0 cpu0 -> 2");
        assertThat(r.ticks()).isEqualTo(2);
    }

    @Test
    void observer_seesStartProgressAndFinish() {
        Scenario s = scenario(List.of("workload.options.random=140000"));
        List<String> seen = new ArrayList<>();
        RunObserver observer = new RunObserver() {
            @Override
            public void started(RunState state) {
                seen.add("started " + state.eventsProcessed() + " " + state.pageAllocator().maxOrder()
                        + " " + state.kernel() + " " + state.objectCache().isPresent());
            }

            @Override
            public void progress(long events, long expected) {
                seen.add("progress " + events + "/" + expected);
            }

            @Override
            public void finished(RunState state) {
                seen.add("finished " + state.eventsProcessed());
            }
        };

        new Simulation(s).observer(observer).run();

        assertThat(seen).containsExactly("started 0 3 6.1 false", "progress 65536/140000", "progress 131072/140000",
                "finished 140000");
    }

    @Test
    void observerExceptions_passUnchanged() {
        RunObserver observer = new RunObserver() {
            @Override
            public void started(RunState state) {
                throw new IllegalStateException("disk full");
            }
        };

        assertThatThrownBy(() -> new Simulation(scenario("alloc 1 0")).observer(observer).run())
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("disk full");
        assertThat(providers.workload.last.closed).isTrue();
    }
}
