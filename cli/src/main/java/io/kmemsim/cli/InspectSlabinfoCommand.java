package io.kmemsim.cli;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.slab.SlubOrder;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.slabinfo.SlabinfoParser;
import io.kmemsim.engine.slabinfo.SlubGeometryCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim inspect slabinfo FILE --cpus N [--kernel V] [--page-size 4K]}: reads a SLUB
 * {@code /proc/slabinfo} and recomputes every cache's objects per slab and pages per slab from its
 * {@code <objsize>} (the stride) and the CPU count with SLUB's {@code calculate_order} of that kernel
 * version (mm/slub.c: calculate_order(), calc_slab_order() (6.1)), printing computed against file with OK or DIFF, the memory each
 * cache holds and loses as the kernel's slabinfo tool counts it (tools/vm/slabinfo.c: report() (6.1)), and the number of matches.
 * The assumptions are those of {@link SlubGeometryCheck} (default slub_min_order / slub_max_order /
 * slub_min_objects).
 *
 * <p>Exit status: 0 every row matches; 1 some row differs; 2 usage or input error (file, line, field and
 * reason on stderr), including a SLAB file (non-zero tunables).
 */
@Command(name = "slabinfo", mixinStandardHelpOptions = true,
        description = "Check a SLUB /proc/slabinfo against the kernel's slab order rules, with space and loss per cache.")
public final class InspectSlabinfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a copy of /proc/slabinfo from a SLUB kernel")
    Path file;

    @Option(names = "--cpus", required = true, paramLabel = "N",
            description = "present CPUs of the machine the file came from")
    int cpus;

    @Option(names = "--kernel", paramLabel = "V", defaultValue = "6.1",
            description = "the kernel version (6.8 changed calculate_order) (default: ${DEFAULT-VALUE})")
    String kernel;

    @Option(names = "--page-size", paramLabel = "SIZE", defaultValue = "4K",
            description = "the page size of the machine: 4K, 16K or 64K (default: ${DEFAULT-VALUE})")
    String pageSize;

    /**
     * The file as text, or an input error with {@code file:line} for bytes that are not UTF-8 or NUL
     * (a slabinfo copy is small; more than 64 MiB is refused as not one).
     */
    static String text(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > 64L << 20) {
                throw new InputException(new InputProblem(file.toString(), 0, 0, "", "more than 64 MiB: not a /proc/slabinfo copy"));
            }
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "no such file"));
        } catch (IOException e) {
            throw new InputException(new InputProblem(file.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
        }
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        java.nio.charset.CoderResult res = d.decode(in, out, true);
        int bad = res.isError() ? in.position() : -1;
        for (int i = 0; i < bytes.length && bad < 0; i++) {
            if (bytes[i] == 0) {
                bad = i;
            }
        }
        if (bad >= 0) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new InputException(new InputProblem(file.toString(), line, bad - lineStart + 1, "",
                    bytes[bad] == 0 ? "NUL byte: this is not text" : "unreadable bytes: this is not UTF-8 text"));
        }
        d.flush(out);
        return out.flip().toString();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            KernelVersion k = InspectBuddyinfoCommand.option("--kernel", () -> KernelVersion.parse(kernel));
            PageSize ps = InspectBuddyinfoCommand.option("--page-size", () -> PageSize.parse(pageSize));
            if (cpus < 1 || cpus > 8192) {
                throw new InputException(new InputProblem("--cpus", 0, 0, "", "must be in [1, 8192]: " + cpus));
            }
            int maxOrder = PageOrders.maxOrder(k, KernelConfig.ARM64_DISTRO.withPageSize(ps));
            out.printf(Locale.ROOT, "# kernel %s, %d CPUs (slub_min_objects %d), %s pages, calculate_order of %s%n", k,
                    cpus, SlubOrder.minObjects(cpus, 0), ps.label(), SlubOrder.newAlgorithm(k) ? "6.8+" : "5.10-6.7");
            out.printf(Locale.ROOT, "%-21s %7s %9s %4s %9s %4s %-6s %10s %10s %4s%n", "name", "objsize", "file o/s",
                    "pg", "calc o/s", "pg", "check", "space", "loss", "%Ef");
            int[] counts = new int[2];
            String source = file.toString();
            try (BufferedReader r = new BufferedReader(new java.io.StringReader(text(file)))) {
                SlabinfoParser.parse(r, source, (line, row) -> {
                    if (row.limit() != 0 || row.batchCount() != 0 || row.sharedFactor() != 0) {
                        throw new InputException(new InputProblem(source, line, 0, "tunables", "non-zero tunables "
                                + row.limit() + " " + row.batchCount() + " " + row.sharedFactor() + " of " + row.name()
                                + ": this is a SLAB file; only SLUB files can be checked"));
                    }
                    SlubGeometryCheck c = SlubGeometryCheck.of(row, k, cpus, ps.shift(), maxOrder);
                    counts[c.match() ? 0 : 1]++;
                    out.printf(Locale.ROOT, "%-21s %7d %9d %4d %9d %4d %-6s %10s %10s %4d%n", row.name(), row.objSize(),
                            row.objPerSlab(), row.pagesPerSlab(), c.objPerSlab(), c.pagesPerSlab(),
                            c.match() ? "OK" : "DIFF", SlubGeometryCheck.scaled(c.spaceBytes()),
                            SlubGeometryCheck.scaled(c.lossBytes()), c.efficiency());
                });
            } catch (IOException e) {
                throw new InputException(new InputProblem(source, 0, 0, "", "cannot read: " + e.getMessage()));
            }
            out.printf(Locale.ROOT, "%d of %d caches match%s%n", counts[0], counts[0] + counts[1],
                    counts[1] == 0 ? "" : " (" + counts[1] + " DIFF)");
            out.flush();
            return counts[1] == 0 ? 0 : 1;
        } catch (InputException e) {
            out.flush();
            for (InputProblem p : e.problems()) {
                err.println(p);
            }
            err.flush();
            return 2;
        }
    }
}
