package io.kmemsim.engine.twin.boot;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.bootlog.BootInputs;
import io.kmemsim.engine.bootlog.BootReservations;
import io.kmemsim.engine.bootlog.Reservation;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.scenario.ProviderLookup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real machine's boot, rebuilt from a bundle's boot records: {@code dmesg.txt} (zone and node ranges, the
 * {@code Memory:} line and the boot allocations it prints), {@code nproc.txt}, {@code uname.txt},
 * {@code sysctl_vm_all.txt} and, when present, {@code kernel-config-*.txt} and {@code iomem.txt} (each may
 * also be {@code NAME.gz}). It gives the {@link Platform} (banks, zone limits, the kernel's reservations and
 * late frees: see {@link BootReservations}), the kernel version, the sysctls as page-allocator options, and
 * the boot-time {@code /proc/zoneinfo} the page allocator computes for that machine.
 *
 * <p>Which values a snapshot shows (6.1, {@code init/main.c} order): watermarks and pcp high/batch are
 * computed at postcore_initcall and again by the THP code at subsys_initcall, before the init memory and
 * the initrd are freed; lowmem_reserve follows the final managed pages (observed on 6.1.192); a sysctl that
 * differs from the kernel's value was written by user space and recomputes from the final managed pages.
 * The page allocator plugin does that arithmetic; this class only feeds it.
 */
public final class BootTwin {

    private static final Pattern DEBIAN_VERSION = Pattern.compile("Debian (\\d+\\.\\d+\\.\\d+)");

    private final Path dir;
    private final KernelVersion kernel;
    private final BootInputs.Arch arch;
    private final TwinPlatform platform;
    private final BootReservations model;
    private final Sysctls sysctls;
    private final String sysctlSource;
    private final DmesgFacts dmesg;
    private final BootInputs inputs;

    private BootTwin(Path dir, KernelVersion kernel, BootInputs.Arch arch, TwinPlatform platform,
                     BootReservations model, Sysctls sysctls, String sysctlSource, DmesgFacts dmesg, BootInputs inputs) {
        this.inputs = inputs;
        this.dir = dir;
        this.kernel = kernel;
        this.arch = arch;
        this.platform = platform;
        this.model = model;
        this.sysctls = sysctls;
        this.sysctlSource = sysctlSource;
        this.dmesg = dmesg;
    }

    /**
     * Reads a bundle directory.
     *
     * @throws InputException naming the file, line and what is missing or malformed
     */
    public static BootTwin fromBundle(Path bundleDir) {
        BundleFiles files = new BundleFiles(bundleDir);
        List<String> uname = files.require("uname.txt", "the kernel version and architecture come from it");
        String unameSource = files.find("uname.txt").orElseThrow().toString();
        String unameText = String.join(" ", uname).trim();
        BootInputs.Arch arch = arch(unameSource, unameText);
        KernelVersion kernel = version(unameSource, unameText);
        int cpus = cpus(files);
        List<String> dmesgLines = files.require("dmesg.txt", "the machine's memory map comes from its boot lines");
        DmesgFacts d = DmesgFacts.parse(files.find("dmesg.txt").orElseThrow().toString(), dmesgLines);
        ConfigFacts config = new ConfigFacts(files.kernelConfig().map(BundleFiles::read).orElse(null));
        KernelConfig kc = config.kernelConfig(arch == BootInputs.Arch.ARM64 ? KernelConfig.ARM64_DISTRO
                : KernelConfig.X86_64_DISTRO);
        List<String> sysctlLines = files.require("sysctl_vm_all.txt", "the vm sysctls decide the watermarks");
        String sysctlSource = files.find("sysctl_vm_all.txt").orElseThrow().toString();
        Sysctls sysctls = Sysctls.parse(sysctlSource, sysctlLines);
        long pageBytes = kc.pageSize().bytes();
        BootReservations model;
        BootInputs inputs = inputs(arch, d, config, cpus, pageBytes, files.optional("iomem.txt").orElse(null));
        try {
            model = BootReservations.of(inputs);
        } catch (IllegalStateException e) {
            throw new InputException(new InputProblem(d.source, 0, 0, "", "the boot reservations do not fit in the"
                    + " machine's RAM: " + e.getMessage()));
        }
        TwinPlatform platform = platform(bundleDir, cpus, kc, d, model);
        return new BootTwin(bundleDir, kernel, arch, platform, model, sysctls, sysctlSource, d, inputs);
    }

    private static final Pattern IOMEM = Pattern.compile("^\\s*([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.+)$");

    /** The reservation inputs of a bundle: its boot lines, configuration, and /proc/iomem's kernel image when present. */
    private static BootInputs inputs(BootInputs.Arch arch, DmesgFacts d, ConfigFacts config, int cpus, long pageBytes,
                                     List<String> iomem) {
        List<long[]> ram = new ArrayList<>();
        for (DmesgFacts.Range r : d.nodeRanges) {
            ram.add(new long[] {r.start(), r.end()});
        }
        List<Reservation> fixed = new ArrayList<>();
        if (d.cma != null) {
            fixed.add(new Reservation("cma", d.cma.start(), d.cma.size(), "cma: Reserved line"));
        }
        if (d.swiotlb != null) {
            fixed.add(new Reservation("swiotlb", d.swiotlb.start(), d.swiotlb.size(), "software IO TLB line"));
        }
        if (d.crashkernel != null) {
            fixed.add(new Reservation("crashkernel", d.crashkernel.start(), d.crashkernel.size(), "crashkernel line"));
        }
        if (d.ramdisk != null && arch == BootInputs.Arch.X86_64) {
            fixed.add(new Reservation("initrd", d.ramdisk.start(), d.ramdisk.size(), "RAMDISK: line"));
        }
        DmesgFacts.MemoryLine m = d.memory;
        long kib = pageBytes / 1024;
        java.util.OptionalLong total = java.util.OptionalLong.of((m.reservedK() + m.cmaK()) / kib);
        return new BootInputs(arch, ram, pageBytes, cpus, m.codeK(), m.rwdataK(), m.rodataK(), m.initK(), m.bssK(), fixed,
                d.percpuPagesPerCpu, d.earlyHashBytes, d.logBufBytes, d.freed, d.machineModel,
                config.enabled("CONFIG_UNMAP_KERNEL_AT_EL0", true), config.enabled("CONFIG_RODATA_FULL_DEFAULT_ENABLED", true),
                iomemField(iomem, "Kernel code", 1, 0), iomemField(iomem, "Kernel bss", 2, 1), total);
    }

    private static java.util.OptionalLong iomemField(List<String> iomem, String name, int group, long add) {
        if (iomem != null) {
            for (String l : iomem) {
                Matcher m = IOMEM.matcher(l);
                if (m.matches() && m.group(3).trim().equals(name)) {
                    return java.util.OptionalLong.of(Long.parseLong(m.group(group), 16) + add);
                }
            }
        }
        return java.util.OptionalLong.empty();
    }

    private static BootInputs.Arch arch(String source, String uname) {
        if (uname.contains("aarch64")) {
            return BootInputs.Arch.ARM64;
        }
        if (uname.contains("x86_64")) {
            return BootInputs.Arch.X86_64;
        }
        throw new InputException(new InputProblem(source, 1, 0, "machine", "the architecture must be aarch64 or x86_64: "
                + uname));
    }

    private static KernelVersion version(String source, String uname) {
        Matcher m = DEBIAN_VERSION.matcher(uname);
        String[] fields = uname.split("\\s+");
        String text = m.find() ? m.group(1) : fields.length > 2 ? fields[2] : "";
        try {
            return KernelVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new InputException(new InputProblem(source, 1, 0, "release", "no kernel version in '" + uname
                    + "' (uname -a output expected)"));
        }
    }

    private static int cpus(BundleFiles files) {
        List<String> lines = files.require("nproc.txt", "the CPU count splits the pcp high value");
        String source = files.find("nproc.txt").orElseThrow().toString();
        String text = lines.isEmpty() ? "" : lines.get(0).trim();
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputException(new InputProblem(source, 1, 0, "", "must hold the CPU count, a whole number >= 1: \""
                + text + "\""));
    }

    private static TwinPlatform platform(Path dir, int cpus, KernelConfig kc, DmesgFacts d, BootReservations model) {
        List<MemoryBank> banks = new ArrayList<>();
        for (int i = 0; i < d.nodeRanges.size(); i++) {
            DmesgFacts.Range r = d.nodeRanges.get(i);
            banks.add(new MemoryBank(d.nodeIds.get(i), r.start(), r.size()));
        }
        long pageBytes = kc.pageSize().bytes();
        Map<ZoneType, Long> limits = new EnumMap<>(ZoneType.class);
        long previous = d.nodeRanges.get(0).start() / pageBytes;
        for (ZoneType z : kc.zones()) {
            if (z == ZoneType.MOVABLE || z == ZoneType.DEVICE) {
                continue;
            }
            String printed = z.printedName();
            if (!d.zones.containsKey(printed)) {
                throw new InputException(new InputProblem(d.source, d.zoneRangesLine, 0, "Zone ranges", "no line for zone "
                        + printed + ", which the kernel configuration has"));
            }
            DmesgFacts.Range r = d.zones.get(printed);
            long limit = r == null ? previous : r.end() / pageBytes;
            limits.put(z, limit);
            previous = limit;
        }
        List<ReservedRange> reserved = new ArrayList<>();
        for (Reservation r : model.reserved()) {
            reserved.add(new ReservedRange(r.name(), r.base(), r.size(), false));
        }
        List<ReservedRange> late = new ArrayList<>();
        for (Reservation r : model.late()) {
            if (r.size() > 0) {
                late.add(new ReservedRange(r.name(), r.base(), r.size(), false));
            }
        }
        long cma = d.cma == null ? 0 : d.cma.size();
        String name = "twin:" + (dir.getFileName() == null ? dir.toString() : dir.getFileName().toString());
        return new TwinPlatform(name, cpus, kc, banks, reserved, late, limits, cma);
    }

    /** The machine: banks, zone limits, reservations (with the late-released ranges), CPUs, configuration. */
    public Platform platform() {
        return platform;
    }

    /** The kernel version from {@code uname.txt} (Debian's package version when printed, e.g. 6.1.192). */
    public KernelVersion kernelVersion() {
        return kernel;
    }

    /** Online CPUs ({@code nproc.txt}). */
    public int cpus() {
        return platform.cpus();
    }

    /** The bundle directory. */
    public Path bundleDir() {
        return dir;
    }

    /** {@code aarch64} or {@code x86_64}. */
    public String architecture() {
        return arch == BootInputs.Arch.ARM64 ? "aarch64" : "x86_64";
    }

    /** The modelled boot reservations, in address order. */
    public List<Reservation> reservations() {
        return model.reserved();
    }

    /** The ranges released after the watermarks were computed (init memory, initrd). */
    public List<Reservation> releasedAfterInit() {
        return model.late();
    }

    /** Every {@code vm.*} sysctl of the bundle, name to value text. */
    public Map<String, String> sysctls() {
        return sysctls.values();
    }

    /**
     * The page allocator options of this machine's sysctls, by option name: {@code minFreeKbytes},
     * {@code watermarkScaleFactor}, {@code watermarkBoostFactor}, {@code percpuPagelistHighFraction},
     * {@code lowmemReserveRatio}. The allocator takes a value equal to the kernel's own as not written.
     */
    public Map<String, Object> pageAllocatorOptions() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("minFreeKbytes", sysctls.number(sysctlSource, "min_free_kbytes", -1));
        o.put("watermarkScaleFactor", (int) sysctls.number(sysctlSource, "watermark_scale_factor", 10));
        o.put("watermarkBoostFactor", (int) sysctls.number(sysctlSource, "watermark_boost_factor", 15000));
        String fraction = kernel.has(Feature.PERCPU_PAGELIST_HIGH_FRACTION) ? "percpu_pagelist_high_fraction" : "percpu_pagelist_fraction";
        o.put("percpuPagelistHighFraction", (int) sysctls.number(sysctlSource, fraction, 0));
        List<Integer> ratios = sysctls.numbers(sysctlSource, "lowmem_reserve_ratio");
        int zones = platform.kernelConfig().maxNrZones();
        if (!ratios.isEmpty() && ratios.size() != zones) {
            throw new InputException(new InputProblem(sysctlSource, 0, 0, "lowmem_reserve_ratio", "has " + ratios.size()
                    + " values but the kernel configuration has " + zones + " zones"));
        }
        o.put("lowmemReserveRatio", ratios);
        long movable = movablecoreMb(dmesg.commandLine);
        if (movable > 0) {
            o.put("movablecoreMb", movable);
        }
        return o;
    }

    /**
     * {@code movablecore=} of the kernel command line in MiB (6.1 {@code mm/page_alloc.c: cmdline_parse_movablecore()}
     * with {@code memparse()} suffixes K, M, G, T), 0 when absent; the percent form is not modelled (0).
     */
    static long movablecoreMb(String commandLine) {
        long mb = 0;
        for (String arg : commandLine.trim().split("\\s+")) {
            if (!arg.startsWith("movablecore=")) {
                continue;
            }
            Matcher m = MEMPARSE.matcher(arg.substring("movablecore=".length()));
            if (m.matches()) {
                long v = Long.decode(m.group(1));
                int shift = switch (m.group(2).toUpperCase(java.util.Locale.ROOT)) {
                    case "K" -> 10;
                    case "M" -> 20;
                    case "G" -> 30;
                    case "T" -> 40;
                    default -> 0;
                };
                mb = (v << shift) >> 20; // the last one given wins, as with early_param
            } else {
                mb = 0;
            }
        }
        return mb;
    }

    private static final Pattern MEMPARSE = Pattern.compile("(0[xX][0-9a-fA-F]+|\\d+)([kKmMgGtT]?)");

    /** The inputs of the reservation model (for tests and reports). */
    public BootInputs reservationInputs() {
        return inputs;
    }

    /** The boot log's {@code Memory:} line sizes as printed (KiB). */
    public long[] memoryLineKib() {
        DmesgFacts.MemoryLine m = dmesg.memory;
        return new long[] {m.availableK(), m.totalK(), m.codeK(), m.rwdataK(), m.rodataK(), m.initK(), m.bssK(),
                m.reservedK(), m.cmaK()};
    }

    /** The simulated boot-time {@code /proc/zoneinfo}, with the page allocator found on the classpath. */
    public String bootZoneinfo() {
        try (PluginRegistry registry = PluginRegistry.fromClasspath(BootTwin.class.getClassLoader())) {
            return bootZoneinfo(registry);
        }
    }

    /**
     * The simulated boot-time {@code /proc/zoneinfo} of this machine, in the kernel's format (the lines the page
     * allocator owns: see {@link io.kmemsim.engine.procfs.ZoneinfoRenderer}), from the {@code buddy} page
     * allocator and the {@code linux} fallback policy of {@code registry}.
     */
    public String bootZoneinfo(PluginRegistry registry) {
        return bootZoneinfo(ProviderLookup.of(registry));
    }

    /** {@link #bootZoneinfo(PluginRegistry)} with the providers of {@code lookup}. */
    public String bootZoneinfo(ProviderLookup lookup) {
        return BootRun.zoneinfo(this, lookup);
    }

    /**
     * The fields a user compares between a boot zoneinfo and the real one, as {@code key -> value} in file order:
     * per zone spanned, present, managed, cma, min/low/high (less the boost), protection, and each CPU's pageset
     * high and batch.
     */
    public static java.util.LinkedHashMap<String, String> comparedFields(io.kmemsim.engine.procfs.Zoneinfo z) {
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        for (io.kmemsim.engine.procfs.Zoneinfo.ZoneEntry e : z.zones()) {
            String p = "node " + e.node() + " " + e.zone().printedName() + " ";
            out.put(p + "spanned", Long.toString(e.spanned()));
            out.put(p + "present", Long.toString(e.present()));
            out.put(p + "managed", Long.toString(e.managed()));
            out.put(p + "cma", Long.toString(e.cma()));
            out.put(p + "min", Long.toString(e.min() - e.boostOrZero()));
            out.put(p + "low", Long.toString(e.low() - e.boostOrZero()));
            out.put(p + "high", Long.toString(e.high() - e.boostOrZero()));
            out.put(p + "protection", String.valueOf(e.protection()));
            for (io.kmemsim.engine.procfs.Zoneinfo.Pageset s : e.pagesets()) {
                out.put(p + "cpu " + s.cpu() + " high", Long.toString(s.high()));
                out.put(p + "cpu " + s.cpu() + " batch", Long.toString(s.batch()));
            }
        }
        return out;
    }
}
