package io.kmemsim.cli;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kmemsim kernel}: facts about kernel versions. */
@Command(name = "kernel", description = "Facts kmemsim models about kernel versions.", mixinStandardHelpOptions = true,
        subcommands = {KernelCommand.Features.class})
final class KernelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Failures.USAGE;
    }

    /** {@code kmemsim kernel features [--kernel V] [--area A]}. */
    @Command(name = "features", mixinStandardHelpOptions = true,
            description = {"Print the kernel feature table: every version-dependent behaviour kmemsim models, the versions",
                "(and stable backports) it holds for, what it is and where it came from.",
                "With --kernel, a HAS column says whether that version has each behaviour; a bare series (6.1)",
                "is judged on the newest point release kmemsim describes."})
    static final class Features implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--kernel", paramLabel = "VERSION", description = "a kernel version, e.g. 6.1, 6.1.116, 6.12.29")
        String kernel;

        @Option(names = "--area", paramLabel = "AREA",
                description = "only this area: model, gfp, orders, watermarks, pcp, buddy, fallback, compaction, kmalloc, slab, slub, trace, procfs, boot, arm64")
        String area;

        @Option(names = "--present", description = "with --kernel: only the behaviours that version has")
        boolean presentOnly;

        @Override
        public Integer call() {
            KernelVersion k = kernel == null ? null : InspectBuddyinfoCommand.option("--kernel", () -> KernelVersion.parse(kernel));
            Feature.Area only = area == null ? null : InspectBuddyinfoCommand.option("--area", () -> area(area));
            if (presentOnly && k == null) {
                InspectBuddyinfoCommand.option("--present", () -> {
                    throw new IllegalArgumentException("--present needs --kernel VERSION");
                });
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(k == null ? new String[] {"FEATURE", "AREA", "VERSIONS", "WHAT", "FROM"}
                    : new String[] {"FEATURE", "AREA", "HAS", "VERSIONS", "WHAT", "FROM"});
            int has = 0;
            for (Feature f : Feature.values()) {
                if (only != null && f.area() != only) {
                    continue;
                }
                boolean in = k != null && k.has(f);
                has += in ? 1 : 0;
                if (presentOnly && !in) {
                    continue;
                }
                String a = f.area().name().toLowerCase(Locale.ROOT);
                rows.add(k == null ? new String[] {f.name(), a, f.span().toString(), f.summary(), f.origin()}
                        : new String[] {f.name(), a, in ? "yes" : "no", f.span().toString(), f.summary(), f.origin()});
            }
            PrintWriter out = spec.commandLine().getOut();
            if (k != null) {
                out.println("kernel " + k + (k.isBare() ? " (judged as " + k.series() + "." + k.effectiveSublevel() + ")" : "")
                        + ": " + has + " of " + count(only) + " features" + (only == null ? "" : " in " + area));
            }
            Table.print(out, rows);
            out.flush();
            return Failures.OK;
        }

        private static int count(Feature.Area only) {
            int n = 0;
            for (Feature f : Feature.values()) {
                n += only == null || f.area() == only ? 1 : 0;
            }
            return n;
        }

        private static Feature.Area area(String text) {
            for (Feature.Area a : Feature.Area.values()) {
                if (a.name().equalsIgnoreCase(text)) {
                    return a;
                }
            }
            List<String> names = new ArrayList<>();
            for (Feature.Area a : Feature.Area.values()) {
                names.add(a.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException("unknown area \"" + text + "\"; areas: " + String.join(", ", names));
        }
    }
}
