package io.kmemsim.engine.bootlog;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The memblock regions, zone boundaries, per-node zone spans and present pages the kernel derives from
 * a platform at boot (arch/arm64/mm/init.c: zone_sizes_init() (6.1); mm/page_alloc.c: free_area_init() (6.1); include/linux/mmzone.h: enum zone_type (6.1); arch/x86/mm/init.c: zone_sizes_init() (6.1)). All PFNs are in
 * units of the platform's page size, ends exclusive.
 *
 * <p>Notes:
 * <ul>
 *   <li>Regions are the banks with adjacent banks of one node merged (memblock merges equal neighbours)
 *       and split where a {@code nomap} reservation begins or ends; a {@code nomap} region stays present
 *       memory (mm/page_alloc.c: rmqueue_pcplist(), rmqueue_bulk() (6.1)).</li>
 *   <li>Zone boundaries: ZONE_DMA starts at the first region's PFN; each configured zone except Movable
 *       ends at {@code max(its limit, its start)} and the next starts there (include/linux/mmzone.h: struct per_cpu_pages (6.1)). Movable
 *       and Device have limit 0, so they are empty.</li>
 *   <li>A node's zone spans the node's range clamped to the zone's boundaries; present pages are the
 *       node's region pages inside that span.</li>
 *   <li>Sparsemem sections ({@code SECTION_SIZE_BITS} 27 with 4K and 16K pages, 29 with 64K: include/linux/pageblock-flags.h: pageblock_order (6.1)) that
 *       contain some region are "present"; the PFNs of holes inside present sections are the
 *       "unavailable ranges" of mm/page_alloc.c: rmqueue_pcplist(), rmqueue_bulk() (6.1).</li>
 * </ul>
 */
final class MemoryLayout {

    /** One memblock memory region. */
    record Region(int node, long startPfn, long endPfn, boolean nomap) {
        long pages() {
            return endPfn - startPfn;
        }
    }

    final KernelConfig config;
    final int pageShift;
    final List<ZoneType> zones;
    final List<Region> regions;
    final int[] nodes;
    /** Per configured zone index: lowest and highest possible PFN (the printed boundaries). */
    final long[] zoneLow;
    final long[] zoneHigh;
    /** [node index][zone index]: span start, span end, present pages. */
    final long[][] spanStart;
    final long[][] spanEnd;
    final long[][] present;
    final int sectionShift;
    private final long[][] presentSections;

    MemoryLayout(Platform platform, KernelVersion kernel) {
        this.config = platform.kernelConfig();
        this.pageShift = config.pageSize().shift();
        this.zones = config.zones();
        this.regions = regions(platform, pageShift);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("platform " + platform.name() + " has no RAM bank of at least one page");
        }
        this.nodes = regions.stream().mapToInt(Region::node).distinct().sorted().toArray();
        this.zoneLow = new long[zones.size()];
        this.zoneHigh = new long[zones.size()];
        long start = regions.get(0).startPfn();
        for (int z = 0; z < zones.size(); z++) {
            ZoneType type = zones.get(z);
            long limit = type == ZoneType.MOVABLE || type == ZoneType.DEVICE ? 0
                    : platform.zoneLimitPfn(type).orElseThrow(() -> new IllegalArgumentException("platform "
                            + platform.name() + " has no limit for configured zone " + type.printedName()));
            if (type == ZoneType.MOVABLE) {
                continue;
            }
            zoneLow[z] = start;
            zoneHigh[z] = Math.max(limit, start);
            start = zoneHigh[z];
        }
        this.spanStart = new long[nodes.length][zones.size()];
        this.spanEnd = new long[nodes.length][zones.size()];
        this.present = new long[nodes.length][zones.size()];
        for (int n = 0; n < nodes.length; n++) {
            computeNode(n);
        }
        // the platform does not name its architecture: the x86_64 configurations are the ones with ZONE_DEVICE
        // (KernelConfig.X86_64_DISTRO; Debian's arm64 6.1 config has none); the two differ only before 5.12
        this.sectionShift = config.pageSize().sectionSizeBits(kernel, !config.zoneDevice()) - pageShift;
        this.presentSections = presentSections();
    }

    private static List<Region> regions(Platform platform, int shift) {
        List<MemoryBank> banks = new ArrayList<>(platform.banks());
        banks.sort(Comparator.comparingLong(MemoryBank::base));
        List<Region> out = new ArrayList<>();
        for (MemoryBank b : banks) {
            long s = (b.base() + (1L << shift) - 1) >>> shift;
            long e = (b.base() + b.size()) >>> shift;
            if (s >= e) {
                continue;
            }
            Region last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.node() == b.node() && last.endPfn() == s) {
                out.set(out.size() - 1, new Region(b.node(), last.startPfn(), e, false));
            } else {
                out.add(new Region(b.node(), s, e, false));
            }
        }
        return splitNomap(out, platform.reserved(), shift);
    }

    private static List<Region> splitNomap(List<Region> merged, List<ReservedRange> reserved, int shift) {
        List<Region> out = new ArrayList<>();
        for (Region r : merged) {
            long p = r.startPfn();
            for (ReservedRange n : reserved) {
                long ns = Math.max(n.base() >>> shift, p);
                long ne = Math.min((n.end() >>> shift) + 1, r.endPfn());
                if (!n.nomap() || ns >= ne) {
                    continue;
                }
                if (ns > p) {
                    out.add(new Region(r.node(), p, ns, false));
                }
                out.add(new Region(r.node(), ns, ne, true));
                p = ne;
            }
            if (p < r.endPfn()) {
                out.add(new Region(r.node(), p, r.endPfn(), false));
            }
        }
        return out;
    }

    private void computeNode(int n) {
        long nodeStart = Long.MAX_VALUE;
        long nodeEnd = 0;
        for (Region r : regions) {
            if (r.node() == nodes[n]) {
                nodeStart = Math.min(nodeStart, r.startPfn());
                nodeEnd = Math.max(nodeEnd, r.endPfn());
            }
        }
        for (int z = 0; z < zones.size(); z++) {
            long s = clamp(nodeStart, zoneLow[z], zoneHigh[z]);
            long e = clamp(nodeEnd, zoneLow[z], zoneHigh[z]);
            spanStart[n][z] = s;
            spanEnd[n][z] = Math.max(s, e);
            long pages = 0;
            for (Region r : regions) {
                if (r.node() == nodes[n]) {
                    pages += Math.max(0, Math.min(r.endPfn(), e) - Math.max(r.startPfn(), s));
                }
            }
            present[n][z] = pages;
        }
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(v, hi));
    }

    int nodeIndex(int node) {
        for (int n = 0; n < nodes.length; n++) {
            if (nodes[n] == node) {
                return n;
            }
        }
        throw new IllegalArgumentException("no such node: " + node);
    }

    long nodeStartPfn(int n) {
        return regions.stream().filter(r -> r.node() == nodes[n]).mapToLong(Region::startPfn).min().orElseThrow();
    }

    long nodeEndPfn(int n) {
        return regions.stream().filter(r -> r.node() == nodes[n]).mapToLong(Region::endPfn).max().orElseThrow();
    }

    long totalPresent() {
        return regions.stream().mapToLong(Region::pages).sum();
    }

    long maxPfn() {
        return regions.stream().mapToLong(Region::endPfn).max().orElseThrow();
    }

    /** Merged runs of present sections as [first section, last section + 1). */
    private long[][] presentSections() {
        List<long[]> runs = new ArrayList<>();
        for (Region r : regions) {
            long first = r.startPfn() >>> sectionShift;
            long last = ((r.endPfn() - 1) >>> sectionShift) + 1;
            long[] tail = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (tail != null && first <= tail[1]) {
                tail[1] = Math.max(tail[1], last);
            } else {
                runs.add(new long[] {first, last});
            }
        }
        return runs.toArray(new long[0][]);
    }

    /** The number of present sections (each has a memmap). */
    long presentSectionCount() {
        long count = 0;
        for (long[] run : presentSections) {
            count += run[1] - run[0];
        }
        return count;
    }

    /** PFNs in {@code [from, to)} that lie in a present section: what {@code init_unavailable_range} counts. */
    long pfnsInPresentSections(long from, long to) {
        long count = 0;
        for (long[] run : presentSections) {
            long s = Math.max(from, run[0] << sectionShift);
            long e = Math.min(to, run[1] << sectionShift);
            count += Math.max(0, e - s);
        }
        return count;
    }

    long pagesPerSection() {
        return 1L << sectionShift;
    }
}
