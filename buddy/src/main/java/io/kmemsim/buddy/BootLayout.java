package io.kmemsim.buddy;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.ZoneType;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's memory map as the kernel derives it at boot from a {@link Platform}: the PFN window the
 * allocator's arrays cover, the zone spans (include/linux/mmzone.h: enum zone_type (6.1); arch/x86/mm/init.c: zone_sizes_init() (6.1): {@code max_zone_pfns[]} clipped to the node), the
 * RAM ranges, the reserved and no-map ranges and the CMA area.
 *
 * <p>Notes:
 * <ul>
 *   <li>One node: every bank must be on node 0.</li>
 *   <li>ZONE_MOVABLE with {@code movablecore=}: the top {@code movablecore} present pages, the start
 *       rounded up to a max-order block as the kernel rounds {@code zone_movable_pfn}; the kernel's
 *       distribution of kernelcore over memblock ranges is approximated by counting present pages from
 *       the top of the node.</li>
 *   <li>CMA: a reserved range named {@code cma} (when the configuration has CMA); otherwise, when the
 *       platform asks for {@code cmaBytes() > 0}, the area is placed top-down below the lowest DMA
 *       zone limit, aligned to {@code 2^max(maxOrder, pageblockOrder)} pages (the kernel's CMA
 *       alignment; its placement below the DMA limit is the arm64 default).</li>
 * </ul>
 */
final class BootLayout {

    final long basePfn;
    final int nPages;
    /** Per configured zone: span [zoneStartPfn, zoneEndPfn) in PFNs (equal when empty). */
    final long[] zoneStartPfn;
    final long[] zoneEndPfn;
    final List<long[]> ram = new ArrayList<>();
    final List<long[]> nomap = new ArrayList<>();
    final List<long[]> reserved = new ArrayList<>();
    final List<long[]> cma = new ArrayList<>();
    /** Reserved ranges released to the allocator after the tunables are set ({@link Platform#releasedAfterInit()}), pages inside. */
    final List<long[]> late = new ArrayList<>();

    BootLayout(Platform platform, KernelConfig config, int maxOrder, int pageblockOrder, long movablecoreMb) {
        int shift = config.pageSize().shift();
        List<MemoryBank> banks = platform.banks();
        if (banks.isEmpty()) {
            throw new IllegalArgumentException("platform " + platform.name() + " has no memory banks");
        }
        for (MemoryBank b : banks) {
            if (b.node() != 0) {
                throw new IllegalArgumentException("buddy models one node; platform " + platform.name()
                        + " has a bank on node " + b.node());
            }
            ram.add(new long[] {b.base() >>> shift, (b.base() + b.size()) >>> shift});
        }
        long nodeStart = ram.get(0)[0];
        long nodeEnd = ram.get(ram.size() - 1)[1];
        int align = Math.max(maxOrder, pageblockOrder);
        this.basePfn = nodeStart & -(1L << align);
        long top = (nodeEnd + (1L << align) - 1) & -(1L << align);
        if (top - basePfn > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("node spans too many pages for one allocator: " + (top - basePfn));
        }
        this.nPages = (int) (top - basePfn);
        boolean cmaOn = config.cma();
        for (ReservedRange r : platform.reserved()) {
            long[] range = {r.base() >>> shift, (r.base() + r.size() + (1L << shift) - 1) >>> shift};
            if (r.nomap()) {
                nomap.add(range);
            } else if (cmaOn && r.name().equalsIgnoreCase("cma")) {
                cma.add(range);
            } else {
                reserved.add(range);
            }
        }
        for (ReservedRange r : platform.releasedAfterInit()) {
            long s = (r.base() + (1L << shift) - 1) >>> shift;
            long e = (r.base() + r.size()) >>> shift;
            if (e > s) {
                late.add(new long[] {s, e});
            }
        }
        List<ZoneType> zones = config.zones();
        zoneStartPfn = new long[zones.size()];
        zoneEndPfn = new long[zones.size()];
        long low = 0;
        for (int i = 0; i < zones.size(); i++) {
            ZoneType z = zones.get(i);
            long high = switch (z) {
                case DMA, DMA32 -> platform.zoneLimitPfn(z).orElse(low);
                case NORMAL -> platform.zoneLimitPfn(z).orElse(nodeEnd);
                default -> low;
            };
            high = Math.max(high, low);
            long s = Math.max(low, nodeStart);
            long e = Math.min(high, nodeEnd);
            zoneStartPfn[i] = e > s ? s : 0;
            zoneEndPfn[i] = e > s ? e : 0;
            low = high;
        }
        if (movablecoreMb > 0) {
            carveMovable(zones, movablecoreMb << (20 - shift), maxOrder);
        }
        if (cmaOn && cma.isEmpty() && platform.cmaBytes() > 0) {
            placeCma(zones, platform.cmaBytes() >>> shift, align);
        }
    }

    private void carveMovable(List<ZoneType> zones, long pages, int maxOrder) {
        int normal = zones.indexOf(ZoneType.NORMAL);
        int movable = zones.indexOf(ZoneType.MOVABLE);
        long remaining = pages;
        long start = zoneEndPfn[normal];
        for (int i = ram.size() - 1; i >= 0 && remaining > 0; i--) {
            long[] r = ram.get(i);
            long len = r[1] - r[0];
            start = len >= remaining ? r[1] - remaining : r[0];
            remaining -= Math.min(len, remaining);
        }
        start = (start + (1L << maxOrder) - 1) & -(1L << maxOrder);
        if (zoneEndPfn[normal] <= zoneStartPfn[normal] || start >= zoneEndPfn[normal]) {
            return;
        }
        start = Math.max(start, zoneStartPfn[normal]);
        zoneStartPfn[movable] = start;
        zoneEndPfn[movable] = zoneEndPfn[normal];
        zoneEndPfn[normal] = start;
        if (zoneEndPfn[normal] == zoneStartPfn[normal]) {
            zoneStartPfn[normal] = 0;
            zoneEndPfn[normal] = 0;
        }
    }

    private void placeCma(List<ZoneType> zones, long pages, int align) {
        long limit = Long.MAX_VALUE;
        for (int i = 0; i < zones.size(); i++) {
            ZoneType z = zones.get(i);
            if ((z == ZoneType.DMA || z == ZoneType.DMA32) && zoneEndPfn[i] > zoneStartPfn[i]) {
                limit = zoneEndPfn[i];
                break;
            }
        }
        long size = (pages + (1L << align) - 1) & -(1L << align);
        for (int i = ram.size() - 1; i >= 0; i--) {
            long[] r = ram.get(i);
            long end = Math.min(r[1], limit) & -(1L << align);
            for (long s = end - size; s >= r[0]; s -= 1L << align) {
                if (!overlapsAny(s, s + size)) {
                    cma.add(new long[] {s, s + size});
                    return;
                }
            }
        }
        throw new IllegalArgumentException("no room for " + pages + " pages of CMA below pfn 0x" + Long.toHexString(limit));
    }

    private boolean overlapsAny(long s, long e) {
        for (List<long[]> list : List.of(nomap, reserved)) {
            for (long[] r : list) {
                if (r[0] < e && s < r[1]) {
                    return true;
                }
            }
        }
        return false;
    }
}
