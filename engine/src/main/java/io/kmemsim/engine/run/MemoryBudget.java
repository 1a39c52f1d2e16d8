package io.kmemsim.engine.run;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.scenario.ComponentConfig;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import java.util.Locale;

/**
 * Checks, before the page allocator is created, that the machine fits in the Java heap, so that a
 * too-large machine is a one-line refusal with the number and the remedy rather than an
 * {@link OutOfMemoryError} half-way through building it.
 *
 * <p>The estimate is a lower bound for a struct-of-arrays allocator like kmemsim's buddy: per page
 * {@value #BYTES_PER_PAGE} bytes (two {@code int} free-list links, an order and a flags byte, the
 * pageblock type byte amortised over a pageblock, and the invariant check's one byte per page); per CPU
 * and zone {@value #BYTES_PER_CPU_ZONE} bytes of per-CPU list state; and {@value #FIXED_MIB} MiB for the
 * engine, the object caches' state, the results recorder and the JIT. It is compared with the heap still
 * free ({@code maxMemory - used}); the message gives the sizes and how to raise the heap
 * ({@code KMEMSIM_HEAP} or {@code JAVA_OPTS}, which the {@code kmemsim} launcher passes to the JVM).
 */
final class MemoryBudget {

    /** Bytes of state per page (see the class comment). */
    static final long BYTES_PER_PAGE = 11;
    /** Bytes of per-CPU list state per CPU and zone: head, tail per list (about 16 lists) and 5 counters. */
    static final long BYTES_PER_CPU_ZONE = 4 * (2 * 16 + 5);
    /** Zones per node assumed for the per-CPU estimate (DMA, DMA32, Normal, Movable). */
    static final int ZONES = 4;
    /** The fixed part, in MiB. */
    static final long FIXED_MIB = 48;

    private MemoryBudget() {
    }

    /** The estimated heap bytes a machine of {@code pages} pages and {@code cpus} CPUs needs. */
    static long estimate(long pages, int cpus) {
        return pages * BYTES_PER_PAGE + (long) cpus * ZONES * BYTES_PER_CPU_ZONE + (FIXED_MIB << 20);
    }

    /**
     * Refuses a machine that cannot fit.
     *
     * @throws InputException at the platform's place in the scenario: CPUs out of range, or the estimate
     *                        larger than the free heap
     */
    static void check(Scenario scenario, Platform platform, int cpus) {
        ComponentConfig where = scenario.platform();
        if (cpus < 1 || cpus > ScenarioLoader.MAX_CPUS) {
            throw refuse(where, "cpus", "the machine has " + cpus + " CPUs; cpus must be in [1, "
                    + ScenarioLoader.MAX_CPUS + "] (" + ScenarioLoader.MAX_CPUS_WHY + ")");
        }
        long pageBytes = FaultBoundary.call(where.entry(), "kernelConfig", () -> platform.kernelConfig().pageSize().bytes());
        long bytes = 0;
        for (MemoryBank b : FaultBoundary.call(where.entry(), "banks", platform::banks)) {
            bytes += b.size();
        }
        long pages = bytes / pageBytes;
        long need = estimate(pages, cpus);
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long free = rt.maxMemory() - used;
        if (need > free) {
            long suggestGiB = Math.max(1, (need + used + (1L << 30) - 1) * 5 / 4 >> 30);
            throw refuse(where, "", String.format(Locale.ROOT, "the machine (%s of RAM, %,d pages of %d bytes, %d CPU%s)"
                    + " needs about %,d MiB of Java heap but only %,d MiB are free (heap limit %,d MiB); raise the"
                    + " heap, e.g. KMEMSIM_HEAP=%dg ./kmemsim ... or JAVA_OPTS=-Xmx%dg, or simulate less memory",
                    size(bytes), pages, pageBytes, cpus, cpus == 1 ? "" : "s", need >> 20, free >> 20, rt.maxMemory() >> 20, suggestGiB, suggestGiB));
        }
    }

    private static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, v == Math.floor(v) ? "%.0f %s" : "%.1f %s", v, units[u]);
    }

    private static InputException refuse(ComponentConfig where, String key, String message) {
        return new InputException(new InputProblem(where.origin().source(), where.origin().line(), where.origin().column(),
                key.isEmpty() ? where.kind().label() : key, message));
    }
}
