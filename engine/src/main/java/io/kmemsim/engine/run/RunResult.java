package io.kmemsim.engine.run;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a run produced. Everything but {@code wallNanos} and {@code loopNanos} is a function of the scenario:
 * two runs of one scenario give equal results apart from them.
 *
 * @param scenarioName        the scenario's name
 * @param kernel              the kernel version as written
 * @param providers           the providers used, in creation order
 * @param events              events taken from the workload
 * @param ticks               ticks delivered (the workload's TICK events plus the engine's)
 * @param simulatedNanos      the latest event time seen
 * @param allocSuccessByOrder successful page allocations per order ({@code maxOrder + 1} entries)
 * @param allocFailureByOrder failed page allocations per order
 * @param pages               page event totals
 * @param slab                slab event totals
 * @param counters            each component's counters ({@code forEachCounter}) keyed by its kind label
 *                            ({@code arch}, {@code page-allocator}, {@code object-cache}) in creation
 *                            order, each in the component's own order
 * @param wallNanos           the host's wall-clock time for building and running, for reporting only
 * @param loopNanos           the host's wall-clock time of the event loop alone (no component creation, no
 *                            boot), for reporting only: the time {@link #eventsPerSecond()} divides by
 */
public record RunResult(String scenarioName, String kernel, List<ProviderUse> providers, long events, long ticks,
                        long simulatedNanos, long[] allocSuccessByOrder, long[] allocFailureByOrder,
                        PageTotals pages, SlabTotals slab, Map<String, Map<String, Long>> counters, long wallNanos,
                        long loopNanos) {

    public RunResult {
        Objects.requireNonNull(scenarioName, "scenarioName");
        Objects.requireNonNull(kernel, "kernel");
        providers = List.copyOf(providers);
        allocSuccessByOrder = allocSuccessByOrder.clone();
        allocFailureByOrder = allocFailureByOrder.clone();
        Objects.requireNonNull(pages, "pages");
        Objects.requireNonNull(slab, "slab");
        Map<String, Map<String, Long>> copy = new LinkedHashMap<>();
        counters.forEach((kind, values) -> copy.put(kind, Collections.unmodifiableMap(new LinkedHashMap<>(values))));
        counters = Collections.unmodifiableMap(copy);
    }

    /** Successful page allocations per order (a copy). */
    @Override
    public long[] allocSuccessByOrder() {
        return allocSuccessByOrder.clone();
    }

    /** Failed page allocations per order (a copy). */
    @Override
    public long[] allocFailureByOrder() {
        return allocFailureByOrder.clone();
    }

    /**
     * This result with {@code wallNanos} replaced (e.g. 0, to compare runs), and {@code loopNanos} capped at it
     * (the loop is part of the wall time: 0 clears both).
     */
    public RunResult withWallNanos(long nanos) {
        return new RunResult(scenarioName, kernel, providers, events, ticks, simulatedNanos, allocSuccessByOrder,
                allocFailureByOrder, pages, slab, counters, nanos, Math.min(loopNanos, nanos));
    }

    /**
     * Events per second of host time in the event loop ({@code events / loopNanos}, as libCacheSim reports
     * its requests per second): how fast the simulation ran, without start-up and boot. 0 when the loop's time
     * is not known.
     */
    public double eventsPerSecond() {
        return loopNanos <= 0 ? 0 : events * 1e9 / loopNanos;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunResult r && scenarioName.equals(r.scenarioName) && kernel.equals(r.kernel)
                && providers.equals(r.providers) && events == r.events && ticks == r.ticks
                && simulatedNanos == r.simulatedNanos && Arrays.equals(allocSuccessByOrder, r.allocSuccessByOrder)
                && Arrays.equals(allocFailureByOrder, r.allocFailureByOrder) && pages.equals(r.pages)
                && slab.equals(r.slab) && counters.equals(r.counters) && wallNanos == r.wallNanos
                && loopNanos == r.loopNanos;
    }

    @Override
    public int hashCode() {
        return Objects.hash(scenarioName, kernel, providers, events, ticks, simulatedNanos,
                Arrays.hashCode(allocSuccessByOrder), Arrays.hashCode(allocFailureByOrder), pages, slab, counters,
                wallNanos, loopNanos);
    }

    @Override
    public String toString() {
        return "RunResult[scenarioName=" + scenarioName + ", kernel=" + kernel + ", providers=" + providers
                + ", events=" + events + ", ticks=" + ticks + ", simulatedNanos=" + simulatedNanos
                + ", allocSuccessByOrder=" + Arrays.toString(allocSuccessByOrder)
                + ", allocFailureByOrder=" + Arrays.toString(allocFailureByOrder) + ", pages=" + pages
                + ", slab=" + slab + ", counters=" + counters + ", wallNanos=" + wallNanos
                + ", loopNanos=" + loopNanos + "]";
    }
}
