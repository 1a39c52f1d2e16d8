package io.kmemsim.cli;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.FreeAreaSnapshot.ZoneFreeArea;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.procfs.ExtfragRenderer;
import io.kmemsim.engine.procfs.FreeAreaSnapshots;
import io.kmemsim.engine.procfs.FreeCounts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim inspect buddyinfo FILE --show unusable-index|extfrag-index|summary}: from a
 * {@code /proc/buddyinfo} snapshot (and optionally the {@code /proc/pagetypeinfo} of the same moment)
 * prints exactly what debugfs {@code extfrag/unusable_index} or {@code extfrag/extfrag_index} of that
 * kernel version would have printed at that moment (mm/vmstat.c: unusable_show_print(), extfrag_show_print() (6.1)), or a summary of
 * free memory per zone and order in human units.
 *
 * <p>Exit status: 0 done; 2 usage or input error (file, line, field and reason on stderr).
 */
@Command(name = "buddyinfo", mixinStandardHelpOptions = true,
        description = "Fragmentation indices or a free-memory summary from a /proc/buddyinfo snapshot.")
public final class InspectBuddyinfoCommand implements Callable<Integer> {

    /** What to print. */
    enum Show {
        UNUSABLE_INDEX, EXTFRAG_INDEX, SUMMARY;

        static Show parse(String text) {
            return switch (text) {
                case "unusable-index" -> UNUSABLE_INDEX;
                case "extfrag-index" -> EXTFRAG_INDEX;
                case "summary" -> SUMMARY;
                default -> throw new IllegalArgumentException(
                        "--show must be unusable-index, extfrag-index or summary: " + text);
            };
        }
    }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a copy of /proc/buddyinfo")
    Path buddyinfo;

    @Option(names = "--pagetypeinfo", paramLabel = "FILE",
            description = "a copy of /proc/pagetypeinfo taken at the same moment (adds per-type totals to the summary)")
    Path pagetypeinfo;

    @Option(names = "--show", required = true, paramLabel = "WHAT",
            description = "unusable-index, extfrag-index or summary")
    String show;

    @Option(names = "--kernel", paramLabel = "V", defaultValue = "6.1",
            description = "the kernel version whose format to print, 3.10 or later (default: ${DEFAULT-VALUE})")
    String kernel;

    @Option(names = "--page-size", paramLabel = "SIZE", defaultValue = "4K",
            description = "the page size of the machine: 4K, 16K or 64K (default: ${DEFAULT-VALUE})")
    String pageSize;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Show what = option("--show", () -> Show.parse(show));
            KernelVersion k = InspectZoneinfoCommand.kernel(kernel);
            PageSize ps = option("--page-size", () -> PageSize.parse(pageSize));
            FreeAreaSnapshot snapshot = FreeAreaSnapshots.read(buddyinfo, pagetypeinfo);
            List<FreeCounts> zones = new ArrayList<>();
            for (ZoneFreeArea z : snapshot.zones()) {
                zones.add(FreeCounts.of(z));
            }
            switch (what) {
                case UNUSABLE_INDEX -> out.print(ExtfragRenderer.unusableIndex(zones));
                case EXTFRAG_INDEX -> out.print(ExtfragRenderer.extfragIndex(k, zones));
                case SUMMARY -> out.print(summary(snapshot, ps));
            }
            out.flush();
            return 0;
        } catch (InputException e) {
            for (InputProblem p : e.problems()) {
                err.println(p);
            }
            err.flush();
            return 2;
        }
    }

    /** Runs {@code parse}, turning its IllegalArgumentException into an input problem of {@code option}. */
    static <T> T option(String option, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new InputException(new InputProblem(option, 0, 0, "", e.getMessage()));
        }
    }

    static String summary(FreeAreaSnapshot snapshot, PageSize ps) {
        StringBuilder sb = new StringBuilder(1024);
        for (ZoneFreeArea z : snapshot.zones()) {
            long pages = 0;
            long blocks = 0;
            for (int o = 0; o < z.freeBlocks().size(); o++) {
                pages += z.freeBlocks().get(o) << o;
                blocks += z.freeBlocks().get(o);
            }
            sb.append(String.format(Locale.ROOT, "Node %d, zone %s: %s free in %d blocks%n", z.node(),
                    z.zone().printedName(), human(pages * ps.bytes()), blocks));
            sb.append(String.format(Locale.ROOT, "  %5s %10s %12s %12s%n", "order", "block", "free blocks", "free"));
            for (int o = 0; o < z.freeBlocks().size(); o++) {
                long n = z.freeBlocks().get(o);
                sb.append(String.format(Locale.ROOT, "  %5d %10s %12d %12s%n", o, human(ps.bytes() << o), n,
                        human((n << o) * ps.bytes())));
            }
            for (Map.Entry<MigrateType, List<Long>> e : z.freeBlocksByType().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey()).toList()) {
                long typePages = 0;
                for (int o = 0; o < e.getValue().size(); o++) {
                    typePages += e.getValue().get(o) << o;
                }
                sb.append(String.format(Locale.ROOT, "  type %-12s %12s%n", e.getKey().printedName(),
                        human(typePages * ps.bytes())));
            }
        }
        return sb.toString();
    }

    /** Bytes in binary units with one decimal: {@code 4.0 KiB}, {@code 2.0 MiB}, {@code 512 B}. */
    static String human(long bytes) {
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
