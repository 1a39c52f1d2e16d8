package io.kmemsim.engine.twin;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.procfs.ZoneinfoParser;
import io.kmemsim.engine.procfs.Zoneinfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives a bundle's {@link Machine} from the kernel's own files: uname, nproc, the kernel config, dmesg
 * ({@code Early memory node ranges}, {@code cma: Reserved}), {@code zoneinfo.before.txt} and the vm sysctls.
 */
final class MachineReader {

    private static final Pattern DEBIAN = Pattern.compile("Debian (\\d+\\.\\d+\\.\\d+)");
    private static final Pattern RELEASE = Pattern.compile("(\\d+\\.\\d+)(\\.\\d+)?");
    private static final Pattern NODE_RANGE = Pattern.compile("node\\s+(\\d+): \\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)]");
    private static final Pattern CMA = Pattern.compile("cma: Reserved (\\d+) MiB at (0x[0-9a-fA-F]+)");

    private MachineReader() {
    }

    static Machine read(Bundle b) {
        List<String> notes = new ArrayList<>();
        String uname = b.text("uname.txt").trim();
        String arch = uname.contains("aarch64") ? "arm64" : uname.contains("x86_64") ? "x86_64" : null;
        if (arch == null) {
            throw problem(b, "uname.txt", "names neither aarch64 nor x86_64: " + uname);
        }
        KernelVersion kernel = kernelVersion(b, uname);
        int cpus = cpus(b);
        KernelConfig config = config(b, arch, notes);
        Zoneinfo zones;
        try (BufferedReader r = b.reader("zoneinfo.before.txt")) {
            zones = ZoneinfoParser.parse(r, b.source("zoneinfo.before.txt"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Zoneinfo.ZoneEntry z : zones.zones()) {
            if (z.node() != 0 && z.present() > 0) {
                // 6.1 builds one pglist_data per node, each with its own zones, watermarks, lowmem_reserve, pcp
                // lists and kswapd/kcompactd, and allocations fall back across nodes by the node's zonelist
                // (mm/page_alloc.c: build_zonelists()); the twin models node 0 only
                long nodes = zones.zones().stream().filter(e -> e.present() > 0).mapToInt(Zoneinfo.ZoneEntry::node)
                        .distinct().count();
                throw new InputException(new InputProblem(b.source("zoneinfo.before.txt"), z.line(), 0,
                        "Node " + z.node() + ", zone " + z.zone().printedName(),
                        "the machine has " + nodes + " NUMA nodes with memory (node " + z.node() + " holds "
                                + z.present() + " present pages): a multi-node machine is not supported by kmemsim twin,"
                                + " which models node 0 only (capture a one-node machine, e.g. without numa=fake)"));
            }
        }
        if (zones.zones().stream().noneMatch(z -> z.managed() > 0)) {
            throw problem(b, "zoneinfo.before.txt", "has no zone with managed pages");
        }
        String dmesg = b.has("dmesg.txt") ? b.text("dmesg.txt") : "";
        List<MemoryBank> banks = banks(dmesg, zones, notes);
        long cmaBase = -1;
        long cmaBytes = 0;
        Matcher m = CMA.matcher(dmesg);
        if (config.cma() && m.find()) {
            cmaBytes = Long.parseLong(m.group(1)) << 20;
            cmaBase = Long.decode(m.group(2));
        } else if (config.cma() && zones.zones().stream().anyMatch(z -> z.cma() > 0)) {
            notes.add("CMA pages in zoneinfo but no 'cma: Reserved' line in dmesg: CMA pageblocks placed from pagetypeinfo counts only");
        }
        return new Machine(arch, kernel, cpus, config, banks, cmaBase, cmaBytes, zones, sysctls(b), notes);
    }

    private static KernelVersion kernelVersion(Bundle b, String uname) {
        Matcher d = DEBIAN.matcher(uname);
        String text;
        if (d.find()) {
            text = d.group(1);
        } else {
            String[] parts = uname.split("\\s+");
            Matcher r = RELEASE.matcher(parts.length > 2 ? parts[2] : uname);
            if (!r.find()) {
                throw problem(b, "uname.txt", "has no kernel release like 6.1.192: " + uname);
            }
            text = r.group(1) + (r.group(2) == null ? "" : r.group(2));
        }
        try {
            return KernelVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw problem(b, "uname.txt", "kernel version " + text + ": " + e.getMessage());
        }
    }

    private static int cpus(Bundle b) {
        String t = b.text("nproc.txt").trim();
        try {
            int n = Integer.parseInt(t);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw problem(b, "nproc.txt", "expected a CPU count >= 1, found '" + t + "'");
        }
    }

    /** The configuration facts from {@code kernel-config-*.txt}, else the distribution's for the arch. */
    private static KernelConfig config(Bundle b, String arch, List<String> notes) {
        KernelConfig base = arch.equals("arm64") ? KernelConfig.ARM64_DISTRO : KernelConfig.X86_64_DISTRO;
        var name = b.firstStartingWith("kernel-config-");
        if (name.isEmpty()) {
            notes.add("no kernel-config-*.txt: the Debian " + arch + " configuration is assumed");
            return base;
        }
        Map<String, Boolean> set = new LinkedHashMap<>();
        try (BufferedReader r = b.reader(name.get())) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("CONFIG_") && line.endsWith("=y")) {
                    set.put(line.substring(0, line.length() - 2), true);
                } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
                    set.put(line.substring(2, line.length() - " is not set".length()), false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PageSize pageSize = set.getOrDefault("CONFIG_ARM64_64K_PAGES", false) ? PageSize.SIZE_64K
                : set.getOrDefault("CONFIG_ARM64_16K_PAGES", false) ? PageSize.SIZE_16K : PageSize.SIZE_4K;
        return new KernelConfig(pageSize, set.getOrDefault("CONFIG_ZONE_DMA", base.zoneDma()),
                set.getOrDefault("CONFIG_ZONE_DMA32", base.zoneDma32()),
                set.getOrDefault("CONFIG_ZONE_DEVICE", base.zoneDevice()), set.getOrDefault("CONFIG_CMA", base.cma()),
                set.getOrDefault("CONFIG_HUGETLB_PAGE", base.hugetlb()),
                set.getOrDefault("CONFIG_TRANSPARENT_HUGEPAGE", base.transparentHugepage()));
    }

    private static List<MemoryBank> banks(String dmesg, Zoneinfo zones, List<String> notes) {
        List<MemoryBank> banks = new ArrayList<>();
        int at = dmesg.indexOf("Early memory node ranges");
        if (at >= 0) {
            for (String line : dmesg.substring(at).split("\n", 64)) {
                Matcher m = NODE_RANGE.matcher(line);
                if (m.find()) {
                    long s = Long.decode(m.group(2));
                    long e = Long.decode(m.group(3)) + 1;
                    banks.add(new MemoryBank(Integer.parseInt(m.group(1)), s, e - s));
                } else if (!banks.isEmpty()) {
                    break;
                }
            }
        }
        if (banks.isEmpty()) {
            notes.add("no 'Early memory node ranges' in dmesg.txt: one bank per zone span assumed (no holes)");
            for (Zoneinfo.ZoneEntry z : zones.zones()) {
                if (z.spanned() > 0 && z.startPfn() >= 0) {
                    banks.add(new MemoryBank(z.node(), z.startPfn() << 12, z.spanned() << 12));
                }
            }
        }
        return banks;
    }

    private static Map<String, String> sysctls(Bundle b) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!b.has("sysctl_vm_all.txt")) {
            return out;
        }
        for (String line : b.text("sysctl_vm_all.txt").split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 3).trim());
            }
        }
        return out;
    }

    static InputException problem(Bundle b, String file, String message) {
        return new InputException(new InputProblem(b.source(file), 0, 0, "", message));
    }
}
