package io.kmemsim.engine.bootlog;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.engine.bootlog.BootLine.Exactness;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The boot-log lines the kernel prints about zones and memory, computed from a {@link Platform} and a
 * {@link KernelVersion} exactly as mm/page_alloc.c: free_area_init(), mem_init_print_info() (6.1) gives them (formats and rules of 6.1 and
 * 6.12; the 6.12 rules also hold for the 6.15.7 and 6.18 RK3588 logs quoted in docs/kernel-facts.md#rk3588-memory-maps).
 *
 * <p>Lines, in the kernel's order:
 * <ol>
 *   <li>a fixed device-tree CMA pool ({@link ReservedRange} named {@value #DT_CMA_POOL}):
 *       {@code Reserved memory: created CMA memory pool at %pa, size %ld MiB} (verbatim from the vendor
 *       5.10/6.1 logs of kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma), printed while reserved memory is scanned, before the zone lines;</li>
 *   <li>{@code Zone ranges:} and one {@code "  %-8s "} line per configured zone except Movable, with
 *       {@code [mem %#018Lx-%#018Lx]} or {@code empty};</li>
 *   <li>{@code Movable zone start for each node} (nothing follows: no {@code kernelcore=} modelled);</li>
 *   <li>{@code Early memory node ranges} and {@code "  node %3d: [mem …]"} per memblock region;</li>
 *   <li>{@code Initmem setup node %d [mem …]} per node;</li>
 *   <li>{@code On node %d, zone %s: %lld pages in unavailable ranges} by the rule of mm/page_alloc.c: init_unavailable_range(), memmap_init() (6.1);</li>
 *   <li>the default CMA area (a reserved range named {@value #DEFAULT_CMA}): {@code cma: Reserved %ld MiB
 *       at %pa} (6.1) with {@code  on node -1} appended from 6.12;</li>
 *   <li>{@code Built %u zonelists, mobility grouping %s.  Total pages: %ld} (mm/page_alloc.c: build_all_zonelists(), free_area_init_core() (6.1): 6.1 subtracts
 *       the memmap per zone, 6.10+ sums present pages);</li>
 *   <li>{@code Memory: …K/NK available (…)}: N exact, cma-reserved exact, the rest estimated or unknown
 *       (mm/page_alloc.c: mem_init_print_info() (6.1)).</li>
 * </ol>
 *
 * <p>Exactness: a line is {@link Exactness#EXACT} only when the reference states its format and rule for
 * the kernel's series (6.1, 6.12 and later); for other series the nearest rule is used and the line is
 * marked estimated. The default CMA area's address is exact only with 4K pages and RAM above the DMA
 * limit, where kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma and the 8 GB ROCK 5A log put it at the top of ZONE_DMA.
 */
public final class BootLog {

    /** The reserved-range name of the default CMA area ({@code CMA_SIZE_MBYTES} / {@code cma=}). */
    public static final String DEFAULT_CMA = "cma";

    /** The rule text of a platform's own reservation among the {@link BootReservations} inputs. */
    static final String PLATFORM_RESERVATION = "platform reservation";

    /** The reserved-range name of a fixed device-tree CMA pool ({@code linux,cma}). */
    public static final String DT_CMA_POOL = "linux,cma";

    private static final long STRUCT_PAGE_BYTES = 64;
    private static final long SWIOTLB_BYTES = 64L << 20;
    /** {@code percpu: Embedded 31 pages/cpu} of Debian's arm64 6.1 kernels (every bench run prints it). */
    private static final int PERCPU_PAGES_PER_CPU = 31;

    /** Default kernel image sizes (KiB, as the Memory: line prints them) of a kernel version, and their source. */
    private record ImageSizes(long codeK, long rwdataK, long rodataK, long initK, long bssK, String source) {
        static ImageSizes of(KernelVersion k) {
            if (k.has(Feature.BOOT_LOG_6_12)) {
                return new ImageSizes(17344, 4898, 11908, 10496, 734, "a mainline 6.12 RK3588 build's Memory: line");
            }
            return new ImageSizes(13248, 2806, 9524, 6464, 627, "Debian's 6.1.192 arm64 kernel"
                    + (k.has(Feature.BOOT_LOG_VERIFIED_6_1) ? "" : ", taken for " + k));
        }
    }

    private final List<BootLine> lines;

    private BootLog(List<BootLine> lines) {
        this.lines = List.copyOf(lines);
    }

    /**
     * The boot lines of {@code platform} booting {@code kernel}.
     *
     * @throws IllegalArgumentException when the platform has no RAM or lacks a configured zone's limit
     */
    public static BootLog of(Platform platform, KernelVersion kernel) {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(kernel, "kernel");
        return new BootLog(new Renderer(platform, kernel).render());
    }

    /** The reservation inputs of a preset (its RAM and reserved ranges, the kernel's default sizes). */
    static BootInputs presetInputs(Platform platform, KernelVersion kernel) {
        return new Renderer(platform, kernel).presetInputs();
    }

    /** The lines, in print order. */
    public List<BootLine> lines() {
        return lines;
    }

    /** The lines as the console shows them (without timestamps), each ending in a newline. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (BootLine l : lines) {
            sb.append(l.text()).append('\n');
        }
        return sb.toString();
    }

    /** True when every line is exact. */
    public boolean isExact() {
        return lines.stream().allMatch(BootLine::isExact);
    }

    /** Computes the lines; one instance per rendering. */
    private static final class Renderer {
        private final Platform platform;
        private final KernelVersion kernel;
        private final MemoryLayout layout;
        private final boolean verified;
        private final long pageBytes;
        private final List<BootLine> out = new ArrayList<>();

        Renderer(Platform platform, KernelVersion kernel) {
            this.platform = platform;
            this.kernel = kernel;
            this.layout = new MemoryLayout(platform, kernel);
            this.verified = kernel.has(Feature.BOOT_LOG_VERIFIED_6_1) || kernel.has(Feature.BOOT_LOG_6_12);
            this.pageBytes = platform.kernelConfig().pageSize().bytes();
        }

        List<BootLine> render() {
            dtCmaPools();
            zoneRanges();
            add("Movable zone start for each node");
            nodeRanges();
            unavailableRanges();
            defaultCma();
            zonelists();
            memory();
            return out;
        }

        private void add(String text) {
            out.add(verified ? BootLine.exact(text) : new BootLine(text, Exactness.ESTIMATED,
                    "mm/page_alloc.c: free_area_init(), mem_init_print_info() (6.1) states this format and rule for 6.1 and 6.12+ only; kernel "
                            + kernel + " was given the " + (kernel.has(Feature.BOOT_LOG_6_12) ? "6.12" : "6.1") + " rule"));
        }

        private void dtCmaPools() {
            for (ReservedRange r : platform.reserved()) {
                if (r.name().equals(DT_CMA_POOL)) {
                    String text = String.format(Locale.ROOT, "Reserved memory: created CMA memory pool at %s, size %d MiB",
                            pa(r.base()), r.size() >> 20);
                    boolean seen = verified || kernel.has(Feature.BOOT_CMA_POOL_LINE_5_10);
                    out.add(new BootLine(text, seen ? Exactness.EXACT : Exactness.ESTIMATED,
                            "printed while the device tree's reserved memory is scanned, before the zone lines"
                                    + " (format verbatim from the vendor 5.10/6.1 logs of kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma)"));
                }
            }
        }

        private void zoneRanges() {
            add("Zone ranges:");
            for (int z = 0; z < layout.zones.size(); z++) {
                ZoneType type = layout.zones.get(z);
                if (type == ZoneType.MOVABLE) {
                    continue;
                }
                String range = layout.zoneLow[z] == layout.zoneHigh[z] ? "empty"
                        : mem(layout.zoneLow[z], layout.zoneHigh[z]);
                add(String.format(Locale.ROOT, "  %-8s %s", type.printedName(), range));
            }
        }

        private void nodeRanges() {
            add("Early memory node ranges");
            for (MemoryLayout.Region r : layout.regions) {
                add(String.format(Locale.ROOT, "  node %3d: %s", r.node(), mem(r.startPfn(), r.endPfn())));
            }
            if (kernel.has(Feature.BOOT_ZEROED_UNAVAILABLE_LINE)) {
                zeroedUnavailable();
            }
            for (int n = 0; n < layout.nodes.length; n++) {
                add(String.format(Locale.ROOT, "Initmem setup node %d %s", layout.nodes[n],
                        mem(layout.nodeStartPfn(n), layout.nodeEndPfn(n))));
            }
        }

        /**
         * Before 5.12 ({@code mm/page_alloc.c: init_unavailable_mem()}, 5.10): one line for the whole machine,
         * printed before {@code Initmem setup}: the holes before each memblock region (from PFN 0) and after
         * the last one up to the end of its section, counting the PFNs whose pageblock lies in a present
         * section. Checked against a 5.10 x86 log (4 regions, 37174 pages).
         */
        private void zeroedUnavailable() {
            long count = 0;
            long next = 0;
            for (MemoryLayout.Region r : layout.regions) {
                if (next < r.startPfn()) {
                    count += layout.pfnsInPresentSections(next, r.startPfn());
                }
                next = r.endPfn();
            }
            long pps = layout.pagesPerSection();
            count += layout.pfnsInPresentSections(next, (layout.maxPfn() + pps - 1) / pps * pps);
            if (count > 0) {
                out.add(new BootLine(String.format(Locale.ROOT, "Zeroed struct page in unavailable ranges: %d pages", count),
                        Exactness.EXACT, "5.10 rule (init_unavailable_mem); the per-zone lines replaced it in 5.12"));
            }
        }

        /** mm/page_alloc.c: init_unavailable_range(), memmap_init() (6.1): the holes before each region, reported for the first populated zone it overlaps. */
        private void unavailableRanges() {
            if (kernel.has(Feature.BOOT_ZEROED_UNAVAILABLE_LINE)) {
                return;
            }
            long hole = 0;
            int zoneId = -1;
            int lastNode = 0;
            long lastEnd = 0;
            for (MemoryLayout.Region r : layout.regions) {
                int n = layout.nodeIndex(r.node());
                for (int z = 0; z < layout.zones.size(); z++) {
                    if (layout.present[n][z] == 0) {
                        continue;
                    }
                    long s = clamp(r.startPfn(), layout.spanStart[n][z], layout.spanEnd[n][z]);
                    long e = clamp(r.endPfn(), layout.spanStart[n][z], layout.spanEnd[n][z]);
                    if (s < e) {
                        if (hole < s) {
                            reportHole(n, z, hole, s);
                        }
                        hole = e;
                    }
                    zoneId = z;
                }
                lastNode = n;
                lastEnd = r.endPfn();
            }
            long pps = layout.pagesPerSection();
            long end = (lastEnd + pps - 1) / pps * pps;
            if (zoneId >= 0 && hole < end) {
                reportHole(lastNode, zoneId, hole, end);
            }
        }

        private void reportHole(int n, int z, long from, long to) {
            long count = layout.pfnsInPresentSections(from, to);
            if (count > 0) {
                add(String.format(Locale.ROOT, "On node %d, zone %s: %d pages in unavailable ranges",
                        layout.nodes[n], layout.zones.get(z).printedName(), count));
            }
        }

        private void defaultCma() {
            for (ReservedRange r : platform.reserved()) {
                if (!r.name().equals(DEFAULT_CMA)) {
                    continue;
                }
                String text = String.format(Locale.ROOT, "cma: Reserved %d MiB at %s%s", r.size() >> 20, pa(r.base()),
                        kernel.has(Feature.BOOT_LOG_6_12) ? " on node -1" : "");
                String why = cmaPlacementDoubt(r);
                if (verified && why.isEmpty()) {
                    out.add(BootLine.exact(text));
                } else {
                    out.add(new BootLine(text, Exactness.ESTIMATED, why.isEmpty()
                            ? "mm/page_alloc.c: free_area_init(), mem_init_print_info() (6.1) states this format for 6.1 and 6.12+ only" : why));
                }
            }
        }

        /** Why the default area's address may differ from the kernel's, or "" when kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma pins it. */
        private String cmaPlacementDoubt(ReservedRange r) {
            long limit = dmaLimitPfn();
            if (pageBytes != 4096) {
                return "with " + platform.kernelConfig().pageSize().label() + " pages the CMA alignment (assumed: one"
                        + " pageblock) is not confirmed by the reference (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma says only 'suitably aligned')";
            }
            if (layout.maxPfn() <= limit) {
                return "RAM ends below the DMA limit, so the kernel image, initrd, DTB and early memblock allocations"
                        + " near the top of RAM push the area lower than shown (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma: it did not end at the top of"
                        + " RAM on a real 2 GiB QEMU boot)";
            }
            long top = 0;
            for (MemoryLayout.Region g : layout.regions) {
                if (g.startPfn() < limit) {
                    top = Math.min(g.endPfn(), limit);
                }
            }
            long areaEnd = (r.end() + 1) / pageBytes;
            return areaEnd == top ? "" : "the area is not at the top of ZONE_DMA, so its place depends on the other"
                    + " reservations there (kernel/dma/contiguous.c: dma_contiguous_reserve() (6.1); docs/kernel-facts.md#rk3588-cma)";
        }

        private long dmaLimitPfn() {
            for (ZoneType z : List.of(ZoneType.DMA, ZoneType.DMA32)) {
                if (platform.zoneLimitPfn(z).isPresent()) {
                    return platform.zoneLimitPfn(z).getAsLong();
                }
            }
            return layout.maxPfn();
        }

        /** mm/page_alloc.c: build_all_zonelists(), free_area_init_core() (6.1): the total is {@code nr_kernel_pages} ({@link #kernelPages()}). */
        private void zonelists() {
            long total = kernelPages();
            long pageblockPages = 1L << PageOrders.pageblockOrder(kernel, platform.kernelConfig());
            boolean grouping = total >= pageblockPages * platform.kernelConfig().migrateTypeCount();
            add(String.format(Locale.ROOT, "Built %d zonelists, mobility grouping %s.  Total pages: %d",
                    layout.nodes.length, grouping ? "on" : "off", total));
        }

        /**
         * mm/page_alloc.c: mem_init_print_info() (6.1). The total (present pages) and cma-reserved are exact. The reserved figure is
         * {@code physpages - totalram - totalcma}: the pages memblock still holds at {@code mem_init}, CMA aside —
         * {@link BootReservations} from the platform's RAM, reservations and CMA with this kernel's default image
         * sizes, percpu, hash tables and the measured remainder; no initrd (its size is the user's). Available is
         * the free page count: present minus every reservation, and on kernels before 6.12 (Debian's
         * CONFIG_DEFERRED_STRUCT_PAGE_INIT) minus the pages whose struct pages are initialised later.
         */
        private void memory() {
            long kib = pageBytes / 1024;
            long present = layout.totalPresent();
            long cmaPages = platform.cmaBytes() / pageBytes;
            BootReservations r = BootReservations.of(presetInputs());
            long reservedAll = r.pagesAtMemInit();
            List<long[]> deferred = kernel.has(Feature.BOOT_LOG_6_12) || !platform.deferredStructPageInit() ? List.of()
                    : new DeferredInit(layout).ranges();
            long deferredFree = 0;
            for (long[] d : deferred) {
                long reservedInside = 0;
                for (Reservation res : r.reserved()) {
                    long s = res.base() / pageBytes;
                    long e = (res.base() + res.size() + pageBytes - 1) / pageBytes;
                    reservedInside += Math.max(0, Math.min(e, d[1]) - Math.max(s, d[0]));
                }
                deferredFree += Math.max(0, (d[1] - d[0]) - reservedInside);
            }
            long available = Math.max(0, present - reservedAll - deferredFree);
            long reserved = Math.max(0, reservedAll - cmaPages);
            ImageSizes img = ImageSizes.of(kernel);
            String text = String.format(Locale.ROOT, "Memory: ~%dK/%dK available (~%dK kernel code, ~%dK rwdata, ~%dK rodata,"
                    + " ~%dK init, ~%dK bss, ~%dK reserved, %dK cma-reserved)", available * kib, present * kib, img.codeK,
                    img.rwdataK, img.rodataK, img.initK, img.bssK, reserved * kib, cmaPages * kib);
            out.add(new BootLine(text, Exactness.ESTIMATED, "exact: the total after '/' (present pages) and cma-reserved;"
                    + " estimated (~): the kernel image sizes (" + img.source + "), and so reserved = the image, memmap,"
                    + " linear-map page tables, percpu, early hash tables, swiotlb, device tree and the remainder measured"
                    + " on real 6.1 boots (no initrd counted); available = present − reserved − CMA"
                    + (deferredFree > 0 ? " − the pages whose struct pages are initialised later (deferred init, before"
                    + " 6.12)" : "")));
        }

        /** The reservation inputs of a preset: its RAM and reserved ranges, the kernel's default sizes. */
        private BootInputs presetInputs() {
            List<long[]> ram = new ArrayList<>();
            for (MemoryLayout.Region g : layout.regions) {
                ram.add(new long[] {g.startPfn() * pageBytes, g.endPfn() * pageBytes});
            }
            List<Reservation> fixed = new ArrayList<>();
            long cmaLow = Long.MAX_VALUE;
            for (ReservedRange rr : platform.reserved()) {
                fixed.add(new Reservation(rr.name(), rr.base(), rr.size(), PLATFORM_RESERVATION));
                if (rr.name().equals(DEFAULT_CMA) || rr.name().equals(DT_CMA_POOL)) {
                    cmaLow = Math.min(cmaLow, rr.base());
                }
            }
            long limit = dmaLimitPfn() * pageBytes;
            if (layout.maxPfn() * pageBytes > limit) {
                long top = Math.min(limit, cmaLow);
                for (MemoryLayout.Region g : layout.regions) {
                    if (g.startPfn() * pageBytes < top) {
                        top = Math.min(top, g.endPfn() * pageBytes);
                    }
                }
                fixed.add(new Reservation("swiotlb", top - SWIOTLB_BYTES, SWIOTLB_BYTES,
                        "arm64 mem_init: 64 MiB below the DMA limit when RAM extends above it"));
            }
            ImageSizes img = ImageSizes.of(kernel);
            return new BootInputs(BootInputs.Arch.ARM64, ram, pageBytes, platform.cpus(), img.codeK, img.rwdataK,
                    img.rodataK, img.initK, img.bssK, fixed, PERCPU_PAGES_PER_CPU, earlyHashBytes(), 0, java.util.Map.of(),
                    "", true, true, java.util.OptionalLong.empty(), java.util.OptionalLong.empty(),
                    java.util.OptionalLong.empty());
        }

        /**
         * The dentry and inode hash tables ({@code fs/dcache.c}, {@code fs/inode.c}: {@code alloc_large_system_hash}
         * with scales 13 and 14, 8-byte buckets) sized from {@code nr_kernel_pages}: the zonelists line's total
         * (6.1: present less memmap; 6.12: present), rounded up to 1 MiB of pages, shifted by the scale,
         * rounded up to a power of two. The QEMU runs print 262144/131072 entries for 2 GiB, 524288/262144 for 3 GiB.
         */
        private long earlyHashBytes() {
            long pages = kernelPages();
            long perMib = Math.max(1, (1L << 20) / pageBytes);
            long n = (pages + perMib - 1) / perMib * perMib;
            int pageShift = Long.numberOfTrailingZeros(pageBytes);
            long bytes = 0;
            for (int scale : new int[] {13, 14}) {
                long e = scale > pageShift ? n >> (scale - pageShift) : n << (pageShift - scale);
                bytes += Long.highestOneBit(Math.max(1, e) * 2 - 1) * 8;
            }
            return bytes;
        }

        private long kernelPages() {
            long total = 0;
            for (int n = 0; n < layout.nodes.length; n++) {
                for (int z = 0; z < layout.zones.size(); z++) {
                    long present = layout.present[n][z];
                    if (kernel.has(Feature.BOOT_KERNEL_PAGES_PRESENT)) {
                        total += present;
                        continue;
                    }
                    long spanned = layout.spanEnd[n][z] - layout.spanStart[n][z];
                    long p = spanned > present + (present >> 4) ? present : spanned;
                    long memmap = (p * STRUCT_PAGE_BYTES + pageBytes - 1) / pageBytes;
                    total += present >= memmap ? present - memmap : present;
                }
            }
            return total;
        }

        private String mem(long startPfn, long endPfn) {
            return "[mem " + pa(startPfn * pageBytes) + "-" + pa(endPfn * pageBytes - 1) + "]";
        }

        private static String pa(long address) {
            return String.format(Locale.ROOT, "%#018x", address);
        }

        private static long clamp(long v, long lo, long hi) {
            return Math.max(lo, Math.min(v, hi));
        }
    }
}
