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
    private final long movableStartPfn;
    private final BootInputs inputs;

    private BootTwin(Path dir, KernelVersion kernel, BootInputs.Arch arch, TwinPlatform platform,
                     BootReservations model, Sysctls sysctls, String sysctlSource, DmesgFacts dmesg, BootInputs inputs,
                     long movableStartPfn) {
        this.movableStartPfn = movableStartPfn;
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
        long movableStart = movableStartPfn(kc, d);
        TwinPlatform platform = platform(bundleDir, cpus, kc, d, model, movableStart);
        return new BootTwin(bundleDir, kernel, arch, platform, model, sysctls, sysctlSource, d, inputs, movableStart);
    }

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
        java.util.OptionalLong imageEnd = iomemField(iomem, "Kernel bss", true, 1);
        if (arch == BootInputs.Arch.X86_64 && imageEnd.isPresent()) {
            // 6.1 arch/x86/kernel/setup.c: reserve_brk() reserves the used .brk area, which lies after
            // __end_of_kernel_reserve (the bss end iomem prints, page aligned; arch/x86/kernel/vmlinux.lds.S), so it
            // sits beside the image, not where the remainder goes: dmi_setup()'s copy of the DMI tables
            // (dmi_alloc(), under a page on QEMU), then early_alloc_pgt_buf()'s INIT_PGT_BUF_SIZE, page aligned:
            // INIT_PGD_PAGE_TABLES (4 with CONFIG_X86_5LEVEL, else 3) × (4 with CONFIG_RANDOMIZE_MEMORY, else 2)
            // pages (arch/x86/mm/init.c). amd64 8 GiB with the image below 4 GiB: 17 pages were in the wrong zone.
            long pgt = (config.enabled("CONFIG_X86_5LEVEL", true) ? 4 : 3)
                    * (config.enabled("CONFIG_RANDOMIZE_MEMORY", true) ? 4 : 2);
            long brk = (d.dmi ? 1 : 0) + pgt;
            long base = (imageEnd.getAsLong() + pageBytes - 1) / pageBytes * pageBytes;
            fixed.add(new Reservation("brk", base, brk * pageBytes, "used .brk after the image: DMI copy + early page-table buffer"));
        }
        DmesgFacts.MemoryLine m = d.memory;
        long kib = pageBytes / 1024;
        java.util.OptionalLong total = java.util.OptionalLong.of((m.reservedK() + m.cmaK()) / kib);
        return new BootInputs(arch, ram, pageBytes, cpus, m.codeK(), m.rwdataK(), m.rodataK(), m.initK(), m.bssK(), fixed,
                d.percpuPagesPerCpu, d.earlyHashBytes, d.logBufBytes, d.freed, d.machineModel,
                config.enabled("CONFIG_UNMAP_KERNEL_AT_EL0", true), config.enabled("CONFIG_RODATA_FULL_DEFAULT_ENABLED", true),
                iomemField(iomem, "Kernel code", false, 0), iomemField(iomem, "Kernel bss", true, 1), total);
    }

    private static java.util.OptionalLong iomemField(List<String> iomem, String name, boolean end, long add) {
        if (iomem != null) {
            for (String l : iomem) {
                IomemLine line = IomemLine.parse(l);
                if (line != null && line.name().equals(name)) {
                    return java.util.OptionalLong.of((end ? line.end() : line.start()) + add);
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

    /** MAX_ORDER pages of the 6.1 kernels modelled (4 KiB pages, MAX_ORDER 11: blocks of order 10). */
    private static final long MAX_ORDER_NR_PAGES = 1L << 10;

    /**
     * The first PFN of ZONE_MOVABLE from the command line's {@code kernelcore=} / {@code movablecore=} (sizes or
     * percentages) by the 6.1 rule ({@link MovableZone}), or −1 for none. ZONE_MOVABLE is taken from the highest
     * zone with a range ({@code mm/page_alloc.c: find_usable_zone_for_movable()}): on a small arm64 machine that
     * is ZONE_DMA, on an amd64 machine below 4 GiB ZONE_DMA32.
     */
    static long movableStartPfn(KernelConfig kc, DmesgFacts d) {
        int shift = kc.pageSize().shift();
        MovableZone.Core kernelcore = MovableZone.parse(d.commandLine, "kernelcore", shift);
        MovableZone.Core movablecore = MovableZone.parse(d.commandLine, "movablecore", shift);
        if (kernelcore.equals(MovableZone.Core.NONE) && movablecore.equals(MovableZone.Core.NONE)) {
            return -1;
        }
        long usableStart = -1;
        for (ZoneType z : kc.zones()) {
            DmesgFacts.Range r = d.zones.get(z.printedName());
            if (z != ZoneType.MOVABLE && z != ZoneType.DEVICE && r != null) {
                usableStart = r.start() >>> shift;
            }
        }
        List<MovableZone.PfnRange> ranges = new ArrayList<>();
        for (int i = 0; i < d.nodeRanges.size(); i++) {
            DmesgFacts.Range r = d.nodeRanges.get(i);
            long s = (r.start() + kc.pageSize().bytes() - 1) >>> shift;
            long e = r.end() >>> shift;
            if (e > s) {
                ranges.add(new MovableZone.PfnRange(d.nodeIds.get(i), s, e));
            }
        }
        if (usableStart < 0 || ranges.isEmpty()) {
            return -1;
        }
        Map<Integer, Long> starts = MovableZone.startPfns(kernelcore, movablecore, ranges, usableStart, MAX_ORDER_NR_PAGES);
        return starts.values().stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    private static TwinPlatform platform(Path dir, int cpus, KernelConfig kc, DmesgFacts d, BootReservations model,
                                         long movableStart) {
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
        if (movableStart >= 0 && !limits.isEmpty()) {
            // the allocator carves ZONE_MOVABLE from the top of ZONE_NORMAL: when the kernel takes it from a lower
            // zone (the highest with memory), that zone ends at the Movable start and Normal holds the rest
            long end = previous;
            if (limits.get(ZoneType.NORMAL) != null && end > movableStart) {
                for (Map.Entry<ZoneType, Long> e : limits.entrySet()) {
                    if (e.getKey() != ZoneType.NORMAL && e.getValue() > movableStart) {
                        e.setValue(movableStart);
                    }
                }
            }
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
        long movable = movableMb();
        if (movable > 0) {
            o.put("movablecoreMb", movable);
        }
        return o;
    }

    /** The first PFN of ZONE_MOVABLE the command line gives ({@code kernelcore=}, {@code movablecore=}), or −1. */
    public long movableStartPfn() {
        return movableStartPfn;
    }

    /**
     * The Movable zone as the allocator's {@code movablecoreMb} option: the MiB of RAM from the Movable start to the
     * end of memory, rounded up (the allocator rounds its start up to a MAX_ORDER block, which lands on the start
     * the kernel computed); 0 for none.
     */
    private long movableMb() {
        if (movableStartPfn < 0) {
            return 0;
        }
        int shift = platform.kernelConfig().pageSize().shift();
        long pages = 0;
        for (MemoryBank b : platform.banks()) {
            long s = Math.max(b.base() >>> shift, movableStartPfn);
            long e = (b.base() + b.size()) >>> shift;
            pages += Math.max(0, e - s);
        }
        return ((pages << shift) + (1L << 20) - 1) >>> 20;
    }

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
