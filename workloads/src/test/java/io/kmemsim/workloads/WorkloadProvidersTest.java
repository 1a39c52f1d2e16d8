package io.kmemsim.workloads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.plugin.Doc;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every provider of this module promises beyond testkit's WorkloadContract (run on each in the
 * {@code *WorkloadContractTest} subclasses): determinism under host failures, different sequences for
 * different seeds, ticks and time exactly as configured, failure reports for foreign handles refused,
 * option validation, registration and documentation.
 */
class WorkloadProvidersTest {

    private static final long EVENTS = 60_000;

    /** Each provider with its default options shortened to {@link #EVENTS} events. */
    static Stream<Arguments> workloads() {
        return Stream.of(
                Arguments.of(new ChurnProvider(), Options.with(new ChurnOptions(), "events", EVENTS)),
                Arguments.of(new FragmenterProvider(), Options.with(new FragmenterOptions(), "events", EVENTS)),
                Arguments.of(new ThpProvider(), Options.with(new ThpOptions(), "events", EVENTS)),
                Arguments.of(new SlabChurnProvider(), Options.with(new SlabChurnOptions(), "events", EVENTS)),
                Arguments.of(new MixProvider(), Options.with(new MixOptions(), "events", EVENTS)));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Workload create(WorkloadProvider provider, Record options, long seed) {
        return (Workload) provider.create(options, TestContext.seeded(seed));
    }

    private static HostSimulator run(WorkloadProvider<?> p, Record o, long seed, double failRate) {
        return new HostSimulator(failRate, Long.MAX_VALUE, 10, 4).run(create(p, o, seed), 1000, 1000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    @DisplayName("the same seed gives the same event sequence")
    void sameSeed_sameSequence(WorkloadProvider<?> p, Record o) {
        assertThat(run(p, o, 42, 0.05).digest).isEqualTo(run(p, o, 42, 0.05).digest);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    @DisplayName("a different seed gives a different event sequence")
    void differentSeed_differentSequence(WorkloadProvider<?> p, Record o) {
        assertThat(run(p, o, 42, 0).digest).isNotEqualTo(run(p, o, 43, 0).digest);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    @DisplayName("frees name only live handles, never failed ones, when a fifth of the allocations fail")
    void frees_onlyLiveHandles_withFailures(WorkloadProvider<?> p, Record o) {
        HostSimulator host = run(p, o, 7, 0.2);
        assertThat(host.failures).isGreaterThan(1000);
        long frees = host.count(EventType.PAGE_FREE) + host.count(EventType.KFREE) + host.count(EventType.CACHE_FREE);
        assertThat(frees).isGreaterThan(1000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    @DisplayName("emits expectedEvents() events, a TICK every tick-every, time advancing ns-per-event")
    void stream_hasConfiguredLengthTicksAndTime(WorkloadProvider<?> p, Record o) {
        Record custom = Options.with(o, "events", 10_001L, "tickEvery", 7, "nsPerEvent", 250L);
        Workload w = create(p, custom, 1);
        HostSimulator host = new HostSimulator(0, Long.MAX_VALUE, 10, 4).run(w, 7, 250);
        assertThat(host.events).isEqualTo(10_001);
        assertThat(host.count(EventType.TICK)).isEqualTo(10_001 / 7);
        assertThat(w.next(new Event())).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    @DisplayName("a failure report for a handle the workload never handed out is refused")
    void allocationFailed_unknownHandle_isRefused(WorkloadProvider<?> p, Record o) {
        Workload w = create(p, o, 1);
        assertThatThrownBy(() -> w.allocationFailed(0x7f00_0000_0000_0000L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allocationFailed");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    @DisplayName("bad stream settings are refused naming the option in kebab case")
    void streamSettings_validated(WorkloadProvider<?> p, Record o) {
        String id = p.id();
        assertThatThrownBy(() -> create(p, Options.with(o, "events", 0L), 1))
                .hasMessage(id + " option events must be > 0: 0");
        assertThatThrownBy(() -> create(p, Options.with(o, "tickEvery", 1), 1))
                .hasMessage(id + " option tick-every must be >= 2: 1");
        assertThatThrownBy(() -> create(p, Options.with(o, "nsPerEvent", -5L), 1))
                .hasMessage(id + " option ns-per-event must be > 0: -5");
    }

    @Test
    @DisplayName("ServiceLoader finds the five providers with their ids")
    void serviceLoader_findsAllProviders() {
        List<String> ids = new ArrayList<>();
        for (WorkloadProvider<?> p : ServiceLoader.load(WorkloadProvider.class)) {
            ids.add(p.id());
        }
        assertThat(ids).containsExactlyInAnyOrder("churn", "fragmenter", "thp", "slab-churn", "mix", "page-cache");
    }

    @Test
    @DisplayName("every options component is documented and every options record has a public no-arg constructor")
    void options_documentedWithDefaults() throws Exception {
        for (WorkloadProvider<?> p : ServiceLoader.load(WorkloadProvider.class)) {
            Class<? extends Record> type = p.optionsType();
            assertThat(type.getConstructor().newInstance()).isNotNull();
            assertDocumented(type);
        }
        assertDocumented(SlabChurnOptions.Cache.class);
    }

    private static void assertDocumented(Class<? extends Record> type) {
        for (RecordComponent c : type.getRecordComponents()) {
            assertThat(c.getAnnotation(Doc.class)).as(type.getSimpleName() + "." + c.getName()).isNotNull();
        }
    }
}
