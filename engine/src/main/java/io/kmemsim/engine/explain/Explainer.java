package io.kmemsim.engine.explain;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.Narrator;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.run.RunObserver;
import io.kmemsim.engine.run.RunState;
import io.kmemsim.engine.run.Simulation;
import io.kmemsim.engine.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a scenario with the page allocator narrating ({@link PageAllocator#setNarrator}) and keeps the steps of
 * its first page events, with the zones after each one.
 *
 * <p>Steps are grouped into events by the allocator's own first step of each operation: the request step of
 * {@code __alloc_pages()} and the first step of a free ({@code free_unref_page()}, {@code __free_pages_ok()}).
 * When the event after the last one wanted begins, the run is stopped (the rest of the workload is not
 * simulated). Needs an allocator that declares {@link PageAllocator.Capability#NARRATION}.
 */
public final class Explainer {

    /** The most events one explanation may hold: each keeps the zones' free lists and pageblock map (a walk of the zone). */
    public static final int MAX_EVENTS = 1_000;

    private Explainer() {
    }

    /** Stops the run once enough events were narrated; never escapes {@link #explain}. */
    private static final class Enough extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Enough() {
            super("enough events narrated", null, false, false);
        }
    }

    /**
     * Narrates the first {@code events} page events of {@code scenario}.
     *
     * @throws InputException when {@code events} is out of range or the page allocator cannot narrate
     */
    public static Explanation explain(Scenario scenario, int events) {
        if (events < 1 || events > MAX_EVENTS) {
            throw new InputException(new InputProblem("--events", 0, 0, "", "must be in [1, " + MAX_EVENTS + "]: "
                    + events));
        }
        Recorder recorder = new Recorder(events);
        try {
            new Simulation(scenario).observer(recorder).run();
        } catch (PluginFailureException e) {
            if (!stoppedByUs(e)) {
                throw e;
            }
        }
        recorder.close();
        String allocator = scenario.component(PluginKind.PAGE_ALLOCATOR).map(c -> c.id()).orElse("none");
        return new Explanation(scenario.name(), scenario.kernel().toString(), allocator, recorder.maxOrder,
                recorder.pageblockOrder, recorder.start, List.copyOf(recorder.events));
    }

    private static boolean stoppedByUs(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Enough) {
                return true;
            }
        }
        return false;
    }

    private static final class Recorder implements RunObserver, Narrator {
        private final int wanted;
        private PageAllocator allocator;
        private int maxOrder;
        private int pageblockOrder;
        private List<Explanation.ZoneState> start = List.of();
        private final List<Explanation.Event> events = new ArrayList<>();
        private List<Explanation.Step> current;
        private String title;

        Recorder(int wanted) {
            this.wanted = wanted;
        }

        @Override
        public void started(RunState state) {
            allocator = state.pageAllocator();
            if (!allocator.capabilities().contains(PageAllocator.Capability.NARRATION)) {
                String id = state.scenario().component(PluginKind.PAGE_ALLOCATOR).map(c -> c.id()).orElse("?");
                throw new InputException(new InputProblem("page-allocator", 0, 0, "page-allocator",
                        "page allocator '" + id + "' cannot narrate its steps (it does not declare NARRATION);"
                                + " explain needs one that does, e.g. buddy"));
            }
            maxOrder = allocator.maxOrder();
            pageblockOrder = allocator.pageblockOrder();
            start = zones();
            allocator.setNarrator(this);
        }

        @Override
        public void step(String function, String text) {
            boolean begins = function.endsWith("__alloc_pages()") && text.startsWith("order-")
                    || function.endsWith("free_unref_page()") || function.endsWith("__free_pages_ok()");
            if (begins) {
                close();
                if (events.size() >= wanted) {
                    allocator.setNarrator(null);
                    throw new Enough();
                }
                current = new ArrayList<>();
                title = text;
            }
            if (current == null) {
                current = new ArrayList<>();
                title = text;
            }
            current.add(new Explanation.Step(function, text));
        }

        @Override
        public void finished(RunState state) {
            close();
            allocator.setNarrator(null);
        }

        void close() {
            if (current != null && allocator != null) {
                events.add(new Explanation.Event(title, List.copyOf(current), zones()));
                current = null;
            }
        }

        private List<Explanation.ZoneState> zones() {
            List<Explanation.ZoneState> out = new ArrayList<>();
            MigrateType[] types = MigrateType.values();
            for (Zone z : allocator.zones()) {
                if (!z.populated()) {
                    continue;
                }
                long[][] blocks = new long[maxOrder + 1][types.length];
                for (int o = 0; o <= maxOrder; o++) {
                    for (MigrateType t : types) {
                        blocks[o][t.ordinal()] = z.freeBlocks(o, t);
                    }
                }
                out.add(new Explanation.ZoneState("node " + z.node() + ", zone " + z.name(), z.freePages(), blocks,
                        z.pageblockMap()));
            }
            return out;
        }
    }
}
