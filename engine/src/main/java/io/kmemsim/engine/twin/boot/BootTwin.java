package io.kmemsim.engine.twin.boot;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginRegistry;
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
 * late frees: see {@link ReservationModel}), the kernel version, the sysctls as page-allocator options, and
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
    private final ReservationModel.Arch arch;
    private final TwinPlatform platform;
    private final ReservationModel model;
    private final Sysctls sysctls;
    private final String sysctlSource;
    private final DmesgFacts dmesg;

    private BootTwin(Path dir, KernelVersion kernel, ReservationModel.Arch arch, TwinPlatform platform,
                     ReservationModel model, Sysctls sysctls, String sysctlSource, DmesgFacts dmesg) {
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
        ReservationModel.Arch arch = arch(unameSource, unameText);
        KernelVersion kernel = version(unameSource, unameText);
        int cpus = cpus(files);
        List<String> dmesgLines = files.require("dmesg.txt", "the machine's memory map comes from its boot lines");
        DmesgFacts d = DmesgFacts.parse(files.find("dmesg.txt").orElseThrow().toString(), dmesgLines);
        ConfigFacts config = new ConfigFacts(files.kernelConfig().map(BundleFiles::read).orElse(null));
        KernelConfig kc = config.kernelConfig(arch == ReservationModel.Arch.ARM64 ? KernelConfig.ARM64_DISTRO
                : KernelConfig.X86_64_DISTRO);
        List<String> sysctlLines = files.require("sysctl_vm_all.txt", "the vm sysctls decide the watermarks");
        String sysctlSource = files.find("sysctl_vm_all.txt").orElseThrow().toString();
        Sysctls sysctls = Sysctls.parse(sysctlSource, sysctlLines);
        long pageBytes = kc.pageSize().bytes();
        ReservationModel model;
        try {
            model = ReservationModel.of(arch, d, config, cpus, pageBytes, files.optional("iomem.txt").orElse(null));
        } catch (IllegalStateException e) {
            throw new InputException(new InputProblem(d.source, 0, 0, "", "the boot reservations do not fit in the"
                    + " machine's RAM: " + e.getMessage()));
        }
        TwinPlatform platform = platform(bundleDir, cpus, kc, d, model);
        return new BootTwin(bundleDir, kernel, arch, platform, model, sysctls, sysctlSource, d);
    }

    private static ReservationModel.Arch arch(String source, String uname) {
        if (uname.contains("aarch64")) {
            return ReservationModel.Arch.ARM64;
        }
        if (uname.contains("x86_64")) {
            return ReservationModel.Arch.X86_64;
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

    private static TwinPlatform platform(Path dir, int cpus, KernelConfig kc, DmesgFacts d, ReservationModel model) {
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
        for (Reservation r : model.reserved) {
            reserved.add(new ReservedRange(r.name(), r.base(), r.size(), false));
        }
        List<ReservedRange> late = new ArrayList<>();
        for (Reservation r : model.late) {
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
        return arch == ReservationModel.Arch.ARM64 ? "aarch64" : "x86_64";
    }

    /** The modelled boot reservations, in address order. */
    public List<Reservation> reservations() {
        return List.copyOf(model.reserved);
    }

    /** The ranges released after the watermarks were computed (init memory, initrd). */
    public List<Reservation> releasedAfterInit() {
        return List.copyOf(model.late);
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
        String fraction = kernel.atLeast(5, 14) ? "percpu_pagelist_high_fraction" : "percpu_pagelist_fraction";
        o.put("percpuPagelistHighFraction", (int) sysctls.number(sysctlSource, fraction, 0));
        List<Integer> ratios = sysctls.numbers(sysctlSource, "lowmem_reserve_ratio");
        int zones = platform.kernelConfig().maxNrZones();
        if (!ratios.isEmpty() && ratios.size() != zones) {
            throw new InputException(new InputProblem(sysctlSource, 0, 0, "lowmem_reserve_ratio", "has " + ratios.size()
                    + " values but the kernel configuration has " + zones + " zones"));
        }
        o.put("lowmemReserveRatio", ratios);
        return o;
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
        return BootRun.zoneinfo(this, registry);
    }
}
