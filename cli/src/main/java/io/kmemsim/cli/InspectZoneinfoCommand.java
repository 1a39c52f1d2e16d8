package io.kmemsim.cli;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.kernel.Watermarks.ZoneWatermarks;
import io.kmemsim.api.kernel.Watermarks;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.procfs.FreeAreaSnapshots;
import io.kmemsim.engine.procfs.Zoneinfo.ZoneEntry;
import io.kmemsim.engine.procfs.Zoneinfo;
import io.kmemsim.engine.procfs.ZoneinfoParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim inspect zoneinfo FILE --min-free-kbytes N}: recomputes {@code min}/{@code low}/
 * {@code high} (and {@code promo} where the file prints it) of every zone of every node from the file's
 * {@code managed} counts with the given kernel's formula (mm/page_alloc.c: __setup_per_zone_wmarks() (6.1): 4.6+ with
 * {@code watermark_scale_factor}, the 6.6 Movable rule, and the pre-4.6 formula for 3.10 – 4.5), adds the
 * printed {@code boost}, and prints per zone computed/file with {@code OK} or {@code DIFF}.
 *
 * <p>Exit status: 0 when every value matches; 1 when any differs (a boot-time file can be a few pages off
 * because {@code managed} grew after the last recompute, mm/page_alloc.c: __setup_per_zone_wmarks() (6.1)); 2 on a usage or input error (file, line,
 * field and reason on stderr).
 */
@Command(name = "zoneinfo", mixinStandardHelpOptions = true,
        description = "Recompute every zone's watermarks from a /proc/zoneinfo snapshot and compare.")
public final class InspectZoneinfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a copy of /proc/zoneinfo")
    Path file;

    @Option(names = "--min-free-kbytes", required = true, paramLabel = "N", description = "vm.min_free_kbytes of the machine")
    long minFreeKbytes;

    @Option(names = "--watermark-scale-factor", paramLabel = "N",
            description = "vm.watermark_scale_factor (default 10; does not exist before 4.6)")
    Integer watermarkScaleFactor;

    @Option(names = "--kernel", paramLabel = "V", defaultValue = "6.1",
            description = "the kernel version whose formula to use, 3.10 or later (default: ${DEFAULT-VALUE})")
    String kernel;

    @Option(names = "--page-size", paramLabel = "SIZE", defaultValue = "4K",
            description = "the page size of the machine: 4K, 16K or 64K (default: ${DEFAULT-VALUE})")
    String pageSize;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            KernelVersion k = kernel(kernel);
            PageSize ps = InspectBuddyinfoCommand.option("--page-size", () -> PageSize.parse(pageSize));
            int wsf = scaleFactor(k);
            if (minFreeKbytes < 0) {
                throw new InputException(new InputProblem("--min-free-kbytes", 0, 0, "", "must be >= 0: " + minFreeKbytes));
            }
            Zoneinfo info;
            try (BufferedReader r = FreeAreaSnapshots.open(file)) {
                info = ZoneinfoParser.parseExcerpt(r, file.toString());
            } catch (IOException e) {
                throw new InputException(new InputProblem(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
            }
            if (!info.missing().isEmpty()) {
                out.println("excerpt: fields missing from the file");
                info.missing().forEach((zone, fields) -> out.println("  " + zone + ": " + String.join(", ", fields)));
            }
            List<String> noManaged = info.zones().stream().filter(z -> z.managed() == Zoneinfo.ABSENT)
                    .map(z -> "node " + z.node() + " zone " + z.zone().printedName()).toList();
            if (!noManaged.isEmpty()) {
                out.println("cannot check any watermark: managed is missing in " + String.join(", ", noManaged)
                        + ", and every zone's managed pages enter the split of min_free_kbytes "
                        + "(mm/page_alloc.c: __setup_per_zone_wmarks())");
                out.flush();
                return 1;
            }
            boolean allMatch = compare(out, k, ps, wsf, info.zones());
            out.flush();
            return allMatch ? 0 : 1;
        } catch (InputException e) {
            for (InputProblem p : e.problems()) {
                err.println(p);
            }
            err.flush();
            return 2;
        }
    }

    private int scaleFactor(KernelVersion k) {
        if (watermarkScaleFactor == null) {
            return Watermarks.DEFAULT_SCALE_FACTOR;
        }
        if (!Watermarks.hasScaleFactor(k)) {
            throw new InputException(new InputProblem("--watermark-scale-factor", 0, 0, "",
                    "vm.watermark_scale_factor does not exist before kernel 4.6 (kernel " + k + ")"));
        }
        return InspectBuddyinfoCommand.option("--watermark-scale-factor",
                () -> Watermarks.checkScaleFactor(k, watermarkScaleFactor));
    }

    /** Parses {@code --kernel}, refusing versions before 3.10. */
    static KernelVersion kernel(String text) {
        KernelVersion k = InspectBuddyinfoCommand.option("--kernel", () -> KernelVersion.parse(text));
        if (!k.has(Feature.MODEL_WATERMARK_FORMULA)) {
            throw new InputException(new InputProblem("--kernel", 0, 0, "", "kernels before 3.10 are not supported"
                    + " (their watermarks used present instead of managed pages): " + text));
        }
        return k;
    }

    private boolean compare(PrintWriter out, KernelVersion k, PageSize ps, int wsf, List<ZoneEntry> zones) {
        ZoneType[] types = new ZoneType[zones.size()];
        long[] managed = new long[zones.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = zones.get(i).zone();
            managed[i] = zones.get(i).managed();
        }
        ZoneWatermarks[] w = Watermarks.compute(k, minFreeKbytes, wsf, types, managed, ps);
        out.printf(Locale.ROOT, "kernel %s, min_free_kbytes %d, watermark_scale_factor %s, page size %s%n", k,
                minFreeKbytes, Watermarks.hasScaleFactor(k) ? Integer.toString(wsf) : "n/a (before 4.6)", ps.label());
        out.println("values: computed/file, both including the printed boost");
        boolean all = true;
        for (int i = 0; i < types.length; i++) {
            ZoneEntry z = zones.get(i);
            long boost = z.boostOrZero();
            StringBuilder line = new StringBuilder();
            line.append(String.format(Locale.ROOT, "Node %d, zone %8s  managed %d  boost %d ", z.node(),
                    z.zone().printedName(), z.managed(), boost));
            boolean ok = field(line, "min", w[i].min() + boost, z.min());
            ok &= field(line, "low", w[i].low() + boost, z.low());
            ok &= field(line, "high", w[i].high() + boost, z.high());
            if (z.promo() != Zoneinfo.ABSENT) {
                ok &= field(line, "promo", w[i].promo() + boost, z.promo());
            }
            boolean checked = z.min() != Zoneinfo.ABSENT || z.low() != Zoneinfo.ABSENT || z.high() != Zoneinfo.ABSENT;
            line.append(!checked ? " NOT CHECKED (no watermark lines in the excerpt)" : ok ? " OK" : " DIFF");
            out.println(line);
            all &= ok;
        }
        out.println(all ? "all zones match" : "some zones differ");
        return all;
    }

    private static boolean field(StringBuilder line, String name, long computed, long printed) {
        line.append(' ').append(name).append(' ').append(computed).append('/');
        if (printed == Zoneinfo.ABSENT) {
            line.append('-');
            return true; // not in the excerpt: nothing to compare
        }
        line.append(printed);
        return computed == printed;
    }
}
