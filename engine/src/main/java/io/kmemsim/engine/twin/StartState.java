package io.kmemsim.engine.twin;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.PageStateImage.Block;
import io.kmemsim.api.mm.PageStateImage.Kind;
import io.kmemsim.api.mm.PageStateImage;
import io.kmemsim.engine.procfs.Zoneinfo;
import io.kmemsim.engine.twin.boot.IomemLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds the kernel's page state at the start of the trace with positions, from what the bundle holds:
 * the trace's first use of each PFN, {@code /proc/kpageflags} when captured, buddyinfo/pagetypeinfo's
 * per-order per-type free counts and pageblock counts, and zoneinfo's per-CPU list counts.
 *
 * <p>Rules (6.1 {@code mm/page_alloc.c}):
 * <ul>
 *   <li>A PFN whose first traced use is {@code mm_page_alloc_zone_locked} was in a free buddy block
 *       ({@code __rmqueue_smallest} traces every block it takes from the free lists).</li>
 *   <li>A PFN first seen in {@code mm_page_alloc} without a {@code zone_locked} before it, or first seen in
 *       {@code mm_page_pcpu_drain}, was on a per-CPU list ({@code rmqueue_pcplist} takes from the list
 *       without a trace event).</li>
 *   <li>A PFN first seen in {@code mm_page_free} was allocated, with that order — except an order-0 page when
 *       compaction ran inside the traced window ({@link #compactionInTrace}): it may have been a free page that
 *       compaction isolated without a trace event, so it counts for neither free nor allocated and is allocated
 *       only when no free block is placed over it.</li>
 *   <li>A first-use {@code mm_page_alloc_extfrag} names a whole free block: {@code page} is the head of the
 *       {@code fallback_order} block taken from the {@code fallback_migratetype} free list
 *       ({@code __rmqueue_fallback}); when none of its pages was used before, that block (or a larger one
 *       around it) was free at the start, and it is placed there with that order and type first.</li>
 *   <li>With kpageflags, {@code KPF_BUDDY} (bit 10) marks every page of a free buddy block: the head by
 *       {@code PageBuddy}, the others because {@code fs/proc/page.c: stable_page_flags()} also sets it for a
 *       page with count 0 for which {@code is_free_buddy_page()} holds. Pages on per-CPU lists are not
 *       buddy pages. So the dump names the free pages exactly (at the moment of the dump, which the bench
 *       takes just after tracing starts); a flagged page that is not buddy is allocated.</li>
 *   <li>The free blocks of each order and type are then placed, largest order first: blocks that contain
 *       PFNs known free come first (most known-free pages first), the rest go to aligned runs of pages the
 *       trace never touches, preferring pageblocks of the block's type, then high PFNs. No free block is
 *       placed next to a free buddy of its order (the kernel would have merged them).</li>
 *   <li>A free block lies on one free list, of its type: {@code zone_locked}'s {@code migratetype} is the list
 *       {@code __rmqueue_smallest} took the block from (and a first-use extfrag's {@code fallback_migratetype}
 *       the list {@code __rmqueue_fallback} took it from). So a block of type T is placed on pages the trace
 *       first took from another type's list only when nothing else is left, and at equal support a candidate
 *       taken from T's own list comes first. After an extfrag in a pageblock,
 *       {@code steal_suitable_fallback()} → {@code move_freepages_block()} may have moved its free pages to the
 *       new type's list, so later first uses there name no start list.</li>
 *   <li>Above pageblock order: when the pages the trace took from a type's list (outside the blocks already
 *       placed and this order's wholly taken candidates the snapshot has room for) are more than the
 *       snapshot's blocks of that type below this order can hold, some lay in blocks of this order that the
 *       trace took only partly (a refill stream that stopped inside its block); such candidates are chosen by
 *       descending known-free pages until they cover the excess.</li>
 *   <li>Pageblock types: the CMA area from dmesg is CMA; a pageblock's first {@code zone_locked} or
 *       {@code pcpu_drain} names the type of the list its pages were on, which is the pageblock's type
 *       ({@code free_unref_page_prepare} caches the pageblock type, {@code free_pcppages_bulk} frees to that
 *       list), and a first {@code mm_page_alloc_extfrag} names it as {@code fallback_migratetype}; a free block of pageblock size or more types its
 *       pageblocks; the remaining pageblocks take the remaining counts of pagetypeinfo, first by the type
 *       of the small free blocks in them, then in ascending PFN order.</li>
 *   <li>Per-CPU pages the trace never names are placed as order-0 pages on untouched allocated PFNs so
 *       each CPU's count matches zoneinfo (they cannot affect the buddy lists).</li>
 * </ul>
 */
final class StartState {

    private static final byte UNKNOWN = 0;
    private static final byte FREE_KNOWN = 1;
    private static final byte PCP_KNOWN = 2;
    private static final byte ALLOC_KNOWN = 3;
    private static final byte HOLE = 4;
    /** First seen freed (order 0) in a trace during which compaction isolated free pages: see {@link #compactionInTrace}. */
    private static final byte FREED_WEAK = 5;
    private static final int KPF_BUDDY = 10;
    private static final int KPF_NOPAGE = 20;
    private static final int KPF_LRU = 5;
    private static final int KPF_COMPOUND_HEAD = 15;
    private static final int KPF_COMPOUND_TAIL = 16;
    /** {@link #preTraceMovable}: no evidence, known movable (LRU), known not movable. */
    private static final byte MOV_UNKNOWN = 0;
    private static final byte MOV_YES = 1;
    private static final byte MOV_NO = 2;
    private static final MigrateType[] TYPES = MigrateType.values();

    private final Machine machine;
    private final int maxOrder;
    private final int pbo;
    private final long base;
    private final int n;
    private final byte[] cls;
    /** 1 + order of a placed free block's head; −1 on its other pages; 0 elsewhere. */
    private final byte[] free;
    private final byte[] freeType;
    private final byte[] pbType;
    private final byte[][] pbVotes;
    /** The pageblock's type at the start as the trace shows it, or −1 (see {@link #learnFromTrace}). */
    private final byte[] pbEvidence;
    private final List<Block> blocks = new ArrayList<>();
    /**
     * The order-0 per-CPU lists the trace refills ({@code mm_page_alloc_zone_locked} with {@code percpu_refill=1}),
     * as {@code cpu * PCPTYPES + type} per PFN index of the refilled page ({@link #placeUnseenPcp}).
     */
    private final it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap refilledList = new it.unimi.dsi.fastutil.ints.Int2IntOpenHashMap();
    /** Whether {@link #placeUnseenPcp} takes unseen pages first from pageblocks whose list is not refilled. */
    private boolean unseenOnUnrefilledPageblocks;
    /**
     * Per PFN, what the bundle says about a page allocated before the trace and never named by it:
     * kpageflags' {@code KPF_LRU} ({@link #MOV_YES}) or its absence ({@link #MOV_NO}), the kernel image
     * from iomem ({@link #MOV_NO}), or nothing ({@link #MOV_UNKNOWN}).
     */
    private final byte[] preTraceMovable;
    private boolean kpageflags;
    /**
     * Per PFN, {@code 1 + type} where a first-use {@code mm_page_alloc_extfrag} shows a free block's head of
     * {@link #requiredOrder} (see {@link #learnFromTrace}); 0 elsewhere.
     */
    private final byte[] requiredType;
    private final byte[] requiredOrder;
    /**
     * Per PFN, {@code 1 + type} of the free list the trace first took it from ({@code zone_locked}'s
     * {@code migratetype}, or a first-use extfrag's {@code fallback_migratetype}) while no fallback had moved
     * its pageblock's free pages yet; 0 elsewhere (see {@link #learnFromTrace}).
     */
    private final byte[] listType;
    private final Map<String, Long> stats = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final boolean highOrderPcp;
    /** Whether free pages may have left the buddy lists without a trace event during the trace (compaction). */
    private boolean untracedFreeTakes;
    /** The order-0 blocks first seen freed while {@link #untracedFreeTakes}: allocated unless placed free. */
    private final List<Block> weakAllocated = new ArrayList<>();

    StartState(Machine machine, int maxOrder, int pageblockOrder) {
        this.machine = machine;
        this.maxOrder = maxOrder;
        this.pbo = pageblockOrder;
        long lo = Long.MAX_VALUE;
        long hi = 0;
        for (Zoneinfo.ZoneEntry z : machine.zones().zones()) {
            if (z.spanned() > 0 && z.startPfn() >= 0) {
                lo = Math.min(lo, z.startPfn());
                hi = Math.max(hi, z.startPfn() + z.spanned());
            }
        }
        int align = Math.max(maxOrder, pbo);
        this.base = lo & -(1L << align);
        this.n = (int) (((hi + (1L << align) - 1) & -(1L << align)) - base);
        this.cls = new byte[n];
        this.preTraceMovable = new byte[n];
        this.free = new byte[n];
        this.freeType = new byte[n];
        this.requiredType = new byte[n];
        this.requiredOrder = new byte[n];
        this.listType = new byte[n];
        this.pbType = new byte[(n >> pbo) + 1];
        Arrays.fill(pbType, (byte) -1);
        this.pbVotes = new byte[(n >> pbo) + 1][];
        this.pbEvidence = new byte[(n >> pbo) + 1];
        Arrays.fill(pbEvidence, (byte) -1);
        this.highOrderPcp = machine.kernel().has(Feature.PCP_HIGH_ORDERS);
        Arrays.fill(cls, HOLE);
        int shift = machine.config().pageSize().shift();
        for (var bank : machine.banks()) {
            long s = Math.max(bank.base() >>> shift, base);
            long e = Math.min((bank.base() + bank.size()) >>> shift, base + n);
            for (long p = s; p < e; p++) {
                cls[(int) (p - base)] = UNKNOWN;
            }
        }
    }

    Map<String, Long> stats() {
        return stats;
    }

    List<String> notes() {
        return notes;
    }

    boolean pcpOrder(int o) {
        return highOrderPcp ? o <= 3 || (o == pbo && machine.config().transparentHugepage()) : o == 0;
    }

    /**
     * Compaction ran inside the traced window (vmstat's {@code compact_isolated} grew between the before and
     * after snapshots; also for {@code alloc_contig_range()}, which counts there too). 6.1
     * {@code mm/compaction.c: isolate_freepages_block()} takes free pages off the buddy lists with no
     * {@code mm_page_alloc} event ({@code __isolate_free_page()}), {@code migrate_pages()} copies into them, and they
     * are later freed with {@code mm_page_free}; so an order-0 page first seen freed may have been free at the
     * start. Such a page is not evidence of an allocation: free blocks may be placed over it when the
     * snapshot's counts need them (the capture script's own {@code compact_memory} inside the bench's trace:
     * capture-amd64-1G, 647 allocations failed before), and it is allocated only when no free block covers it.
     */
    void compactionInTrace(long isolated) {
        untracedFreeTakes = isolated > 0;
        if (untracedFreeTakes) {
            notes.add("compaction ran during the trace (vmstat compact_isolated +" + isolated
                    + "): pages first seen freed at order 0 are not taken as allocated at the start");
        }
    }

    private int idx(long pfn) {
        long i = pfn - base;
        return i < 0 || i >= n ? -1 : (int) i;
    }

    /** First pass over the trace: classifies each PFN by its first traced use. */
    void learnFromTrace(PageEvents ev) {
        boolean[] moved = new boolean[pbEvidence.length];
        for (int i = 0; i < ev.size; i++) {
            long pfn = ev.pfn[i];
            int o = ev.order[i];
            int s = idx(pfn);
            if (pfn < 0 || s < 0 || o < 0 || o > maxOrder || s + (1 << o) > n) {
                continue;
            }
            byte seen = pbEvidence[s >> pbo];
            if (seen == -1) {
                int t = switch (ev.type[i]) {
                    case PageEvents.ZONE_LOCKED, PageEvents.DRAIN -> ev.mt[i];
                    case PageEvents.EXTFRAG -> ev.mt2[i];
                    default -> -1;
                };
                if (t >= 0) {
                    pbEvidence[s >> pbo] = (byte) type(t).ordinal();
                }
            }
            int fbo = ev.type[i] == PageEvents.EXTFRAG ? ev.fallbackOrder[i] : -1;
            if (fbo > pbo && fbo <= maxOrder && (s & ((1 << fbo) - 1)) == 0 && s + (1 << fbo) <= n) {
                // a fallback block above pageblock order: every pageblock in it had the fallback type before the
                // event (6.1 steal_suitable_fallback() claims them all, change_pageblock_range()), whatever type a
                // later refill of its other pageblocks names
                for (int b = (s >> pbo) + 1; b < (s + (1 << fbo)) >> pbo; b++) {
                    if (pbEvidence[b] == -1) {
                        pbEvidence[b] = (byte) type(ev.mt2[i]).ordinal();
                    }
                }
            }
            if (ev.type[i] == PageEvents.ZONE_LOCKED && o == 0 && ev.arg[i] != 0 && ev.mt[i] >= 0
                    && ev.mt[i] < MigrateType.PCPTYPES) {
                refilledList.put(s, ev.cpu[i] * MigrateType.PCPTYPES + ev.mt[i]);
            }
            switch (ev.type[i]) {
                case PageEvents.ZONE_LOCKED -> {
                    if (!moved[s >> pbo]) {
                        markListType(s, o, type(ev.mt[i]));
                    }
                    markUnknown(s, o, FREE_KNOWN);
                }
                case PageEvents.EXTFRAG -> {
                    int fo = ev.fallbackOrder[i];
                    boolean first = fo >= 0 && fo <= maxOrder && (s & ((1 << fo) - 1)) == 0 && s + (1 << fo) <= n
                            && allUnknown(s, fo);
                    boolean wasMoved = moved[s >> pbo];
                    if (fo >= 0) {
                        // 6.1 steal_suitable_fallback() moves the pageblock's other free pages to the new
                        // type's list (move_freepages_block()) whenever it may steal the whole block, also when
                        // it then keeps the owner (change_ownership=0), so later first uses there do not name
                        // the list they were on at the start
                        for (int b = s >> pbo; b <= Math.min(moved.length - 1, (s + (1 << fo) - 1) >> pbo); b++) {
                            moved[b] = true;
                        }
                    }
                    if (first) {
                        if (!wasMoved) {
                            markListType(s, fo, type(ev.mt2[i]));
                        }
                        markUnknown(s, fo, FREE_KNOWN);
                        requiredType[s] = (byte) (1 + type(ev.mt2[i]).ordinal());
                        requiredOrder[s] = (byte) fo;
                        count("start.free_blocks_from_extfrag");
                    }
                }
                case PageEvents.ALLOC -> {
                    if (allUnknown(s, o)) {
                        if (pcpOrder(o)) {
                            markUnknown(s, o, PCP_KNOWN);
                            blocks.add(new Block(pfn, o, Kind.PER_CPU, type(ev.mt[i]), cpuOf(ev.cpu[i])));
                            count("start.pcp_blocks_from_trace");
                        } else {
                            markUnknown(s, o, FREE_KNOWN);
                            count("start.untraced_buddy_allocations");
                        }
                    }
                }
                case PageEvents.DRAIN -> {
                    if (allUnknown(s, o) && pcpOrder(o)) {
                        markUnknown(s, o, PCP_KNOWN);
                        blocks.add(new Block(pfn, o, Kind.PER_CPU, type(ev.mt[i]), cpuOf(ev.cpu[i])));
                        count("start.pcp_blocks_from_trace");
                    }
                }
                case PageEvents.FREE -> {
                    if (untracedFreeTakes && o == 0 && allUnknown(s, o)) {
                        cls[s] = FREED_WEAK;
                        weakAllocated.add(new Block(pfn, 0, Kind.ALLOCATED, MigrateType.UNMOVABLE, 0));
                    } else if (allUnknown(s, o)) {
                        markUnknown(s, o, ALLOC_KNOWN);
                        blocks.add(new Block(pfn, o, Kind.ALLOCATED, MigrateType.UNMOVABLE, 0));
                        count("start.allocated_blocks_from_trace");
                    }
                }
                default -> {
                }
            }
        }
    }

    private int cpuOf(int traceCpu) {
        return Math.floorMod(traceCpu, machine.cpus());
    }

    private MigrateType type(int traceMt) {
        if (traceMt < 0 || traceMt >= TYPES.length) {
            return MigrateType.MOVABLE;
        }
        if (!machine.config().cma() && traceMt == 4) {
            return MigrateType.ISOLATE;
        }
        return TYPES[traceMt];
    }

    private boolean allUnknown(int s, int o) {
        for (int p = s; p < s + (1 << o); p++) {
            if (cls[p] != UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    private void markListType(int s, int o, MigrateType t) {
        for (int p = s; p < s + (1 << o); p++) {
            if (cls[p] == UNKNOWN) {
                listType[p] = (byte) (1 + t.ordinal());
            }
        }
    }

    private void markUnknown(int s, int o, byte c) {
        for (int p = s; p < s + (1 << o); p++) {
            if (cls[p] == UNKNOWN) {
                cls[p] = c;
            }
        }
    }

    private void count(String key) {
        stats.merge(key, 1L, Long::sum);
    }

    /**
     * kpageflags (8 bytes per PFN from PFN 0, little-endian): buddy pages are known free, flagged pages
     * that are not buddy pages are known not free.
     */
    void learnFromKpageflags(byte[] kpf) {
        long pages = kpf.length / 8;
        long buddy = 0;
        for (int i = 0; i < n; i++) {
            long pfn = base + i;
            if (pfn >= pages || cls[i] == HOLE) {
                continue;
            }
            long f = flags(kpf, pfn);
            if ((f >>> KPF_NOPAGE & 1) != 0) {
                continue;
            }
            if ((f >>> KPF_BUDDY & 1) != 0) {
                buddy++;
                if (cls[i] == UNKNOWN || cls[i] == FREED_WEAK) {
                    cls[i] = FREE_KNOWN;
                }
            } else if (f != 0 && (cls[i] == UNKNOWN || cls[i] == FREED_WEAK)) {
                cls[i] = ALLOC_KNOWN;
                boolean lru = (f >>> KPF_LRU & 1) != 0
                        && (f >>> KPF_COMPOUND_HEAD & 1) == 0 && (f >>> KPF_COMPOUND_TAIL & 1) == 0;
                preTraceMovable[i] = lru ? MOV_YES : MOV_NO;
            }
        }
        kpageflags = true;
        stats.put("start.kpageflags_buddy_pages", buddy);
        notes.add("kpageflags.before.bin: " + buddy + " free buddy pages (KPF_BUDDY) used as known free PFNs");
    }

    private static long flags(byte[] kpf, long pfn) {
        int at = (int) (pfn * 8);
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (kpf[at + k] & 0xff);
        }
        return v;
    }

    /** Places the free blocks of every zone and types the pageblocks; returns the image. */
    PageStateImage build(FreeAreaSnapshot before, Map<String, long[]> pageblockCounts) {
        markCma();
        long typed = 0;
        for (int b = 0; b < pbEvidence.length; b++) {
            if (pbEvidence[b] >= 0 && pbType[b] < 0 && pbEvidence[b] != MigrateType.CMA.ordinal()) {
                pbType[b] = pbEvidence[b];
                typed++;
            }
        }
        stats.put("start.pageblocks_typed_from_trace", typed);
        for (FreeAreaSnapshot.ZoneFreeArea area : before.zones()) {
            Zoneinfo.ZoneEntry z = zoneEntry(area);
            if (z == null || z.spanned() == 0) {
                continue;
            }
            int zs = idx(z.startPfn());
            int ze = zs + (int) z.spanned();
            for (int o = Math.min(maxOrder, area.freeBlocks().size() - 1); o >= 0; o--) {
                placeOrder(area, zs, ze, o);
            }
            typePageblocks(zs, ze, pageblockCounts.get(area.zone().printedName()));
        }
        placeUnseenPcp();
        markPreTraceMovable();
        List<PageStateImage.Pageblock> pbs = new ArrayList<>();
        for (int b = 0; b < pbType.length; b++) {
            if (pbType[b] >= 0 && ((long) b << pbo) < n) {
                pbs.add(new PageStateImage.Pageblock(base + ((long) b << pbo), TYPES[pbType[b]]));
            }
        }
        long weakFree = 0;
        for (Block b : weakAllocated) {
            int i = idx(b.pfn());
            if (free[i] != 0 || cls[i] == FREE_KNOWN) {
                weakFree++;
            } else {
                blocks.add(b);
            }
        }
        if (untracedFreeTakes) {
            stats.put("start.freed_pages_placed_free", weakFree);
            stats.put("start.allocated_blocks_from_trace", stats.getOrDefault("start.allocated_blocks_from_trace", 0L)
                    + weakAllocated.size() - weakFree);
        }
        List<Block> all = new ArrayList<>(blocks.size() + 1024);
        for (Block b : blocks) {
            if (b.kind() == Kind.ALLOCATED) {
                int t = pbType[idx(b.pfn()) >> pbo];
                boolean movable = t == MigrateType.MOVABLE.ordinal() || t == MigrateType.CMA.ordinal();
                all.add(new Block(b.pfn(), b.order(), movable ? Kind.ALLOCATED_MOVABLE : Kind.ALLOCATED,
                        movable ? MigrateType.MOVABLE : t >= 0 ? TYPES[t] : MigrateType.UNMOVABLE, 0));
            } else {
                all.add(b);
            }
        }
        for (int i = 0; i < n; i++) {
            if (free[i] > 0) {
                all.add(new Block(base + i, free[i] - 1, Kind.FREE, TYPES[freeType[i]], 0));
            }
        }
        return new PageStateImage(zoneSettings(), all, pbs);
    }

    /**
     * The kernel image's physical ranges from {@code iomem.txt} ({@code Kernel code}, {@code rodata},
     * {@code data}, {@code bss}): reserved memory ({@code PageReserved}), which compaction never migrates.
     */
    void kernelImageFromIomem(String iomem) {
        int shift = machine.config().pageSize().shift();
        for (String text : iomem.split("\n")) {
            IomemLine line = IomemLine.parse(text);
            if (line == null || !line.name().startsWith("Kernel ")) {
                continue;
            }
            long s = line.start() >>> shift;
            long e = line.end() >>> shift;
            for (long p = s; p <= e; p++) {
                int i = idx(p);
                if (i >= 0) {
                    preTraceMovable[i] = MOV_NO;
                    if (cls[i] == UNKNOWN) {
                        // never a free block: memblock keeps the image reserved (its init section, which
                        // iomem does not name "Kernel", is the part freed at the end of boot)
                        cls[i] = ALLOC_KNOWN;
                    }
                }
            }
        }
    }

    /**
     * memblock reservations that stay reserved, from {@code iomem.txt}: on arm64, 6.1
     * {@code arch/arm64/kernel/setup.c: reserve_memblock_reserved_regions()} lists every memblock reservation
     * inside System RAM as a {@code reserved} child at boot (the memory map, page tables, swiotlb, the device tree,
     * memblock's top-down allocations at the end of RAM). Their pages are never free blocks, except the ones the
     * kernel hands to the buddy allocator later: the CMA area ({@code mm/cma.c: cma_activate_area()}), the init
     * section between the kernel's code and data ({@code free_initmem()}), and the initrd
     * ({@code init/initramfs.c: free_initrd_mem()}; the range whose size is the {@code Freeing initrd memory}
     * figure, {@code initrdFreedKib}, rounded to pages, or -1 when the boot log has none). A range the trace shows
     * free in part is left alone. Without this, blocks the snapshot had free elsewhere were placed on untouched
     * reserved memory at the top of RAM (round 5's compaction-sysctl run: a Movable order-9 block on page tables,
     * and the kernel's order-9 block taken for an order-10 one).
     */
    void memblockReservedFromIomem(String iomem, long initrdFreedKib) {
        int shift = machine.config().pageSize().shift();
        long pageKib = machine.config().pageSize().bytes() / 1024;
        long imageStart = Long.MAX_VALUE;
        long imageEnd = -1;
        List<long[]> reserved = new ArrayList<>();
        for (String text : iomem.split("\n")) {
            IomemLine line = IomemLine.parse(text);
            // a child of System RAM: one level in
            if (line == null || line.indent() != 2) {
                continue;
            }
            String name = line.name();
            long s = line.start() >>> shift;
            long e = line.end() >>> shift;
            if (name.startsWith("Kernel ")) {
                imageStart = Math.min(imageStart, s);
                imageEnd = Math.max(imageEnd, e);
            } else if (name.equals("reserved")) {
                reserved.add(new long[] {s, e});
            }
        }
        long cmaStart = machine.cmaBytes() > 0 ? machine.cmaBase() >>> shift : -1;
        long cmaEnd = machine.cmaBytes() > 0 ? cmaStart + (machine.cmaBytes() >>> shift) : -1;
        long marked = 0;
        for (long[] r : reserved) {
            long kib = (r[1] - r[0] + 1) * pageKib;
            if (r[0] >= imageStart && r[1] <= imageEnd
                    || initrdFreedKib >= 0 && kib >= initrdFreedKib && kib <= initrdFreedKib + 2 * pageKib) {
                continue;
            }
            boolean shownFree = false;
            for (long p = r[0]; p <= r[1] && !shownFree; p++) {
                int i = idx(p);
                shownFree = i >= 0 && i < n && (cls[i] == FREE_KNOWN || cls[i] == PCP_KNOWN);
            }
            if (shownFree) {
                continue;
            }
            for (long p = r[0]; p <= r[1]; p++) {
                int i = idx(p);
                if (i >= 0 && i < n && (p < cmaStart || p >= cmaEnd) && cls[i] == UNKNOWN) {
                    cls[i] = ALLOC_KNOWN;
                    preTraceMovable[i] = MOV_NO;
                    marked++;
                }
            }
        }
        stats.put("start.memblock_reserved_pages", marked);
    }

    /**
     * Pages allocated before the trace that the trace never names become movable (LRU) allocations by the
     * best evidence the bundle has: with kpageflags, exactly the pages with {@code KPF_LRU} (not compound);
     * without it, every such page in a MOVABLE or CMA pageblock outside the kernel image, since 6.1 only
     * places unmovable and reclaimable allocations in a MOVABLE pageblock through a fallback that did not
     * take the block over ({@code mm/page_alloc.c: steal_suitable_fallback()}), and compaction's migrate
     * scanner takes LRU and {@code __PageMovable} pages ({@code mm/compaction.c:
     * isolate_migratepages_block()}). Such a page in any other pageblock stays unmovable.
     */
    private void markPreTraceMovable() {
        long marked = 0;
        for (Zoneinfo.ZoneEntry z : machine.zones().zones()) {
            if (z.managed() == 0 || z.startPfn() < 0 || z.node() != 0) {
                continue;
            }
            int zs = idx(z.startPfn());
            int ze = Math.min(n, zs + (int) z.spanned());
            for (int i = Math.max(zs, 0); i < ze; i++) {
                boolean movable;
                if (kpageflags) {
                    movable = cls[i] == ALLOC_KNOWN && preTraceMovable[i] == MOV_YES;
                } else {
                    int t = pbType[i >> pbo];
                    movable = cls[i] == UNKNOWN && free[i] == 0 && preTraceMovable[i] != MOV_NO
                            && (t == MigrateType.MOVABLE.ordinal() || t == MigrateType.CMA.ordinal());
                }
                if (movable) {
                    blocks.add(new Block(base + i, 0, Kind.ALLOCATED_MOVABLE, MigrateType.MOVABLE, 0));
                    marked++;
                }
            }
        }
        stats.put("start.pretrace_movable_pages", marked);
    }

    private Zoneinfo.ZoneEntry zoneEntry(FreeAreaSnapshot.ZoneFreeArea area) {
        for (Zoneinfo.ZoneEntry z : machine.zones().zones()) {
            if (z.node() == area.node() && z.zone() == area.zone()) {
                return z.startPfn() >= 0 ? z : null;
            }
        }
        return null;
    }

    private boolean inCma(int i) {
        return machine.cmaBytes() > 0 && pbType[i >> pbo] == MigrateType.CMA.ordinal();
    }

    private void markCma() {
        if (machine.cmaBytes() <= 0) {
            return;
        }
        int shift = machine.config().pageSize().shift();
        long s = machine.cmaBase() >>> shift;
        long e = (machine.cmaBase() + machine.cmaBytes()) >>> shift;
        for (long p = s; p < e; p += 1L << pbo) {
            int i = idx(p);
            if (i >= 0) {
                pbType[i >> pbo] = (byte) MigrateType.CMA.ordinal();
            }
        }
    }

    /** Places the free blocks of order {@code o} of every type in the zone [zs, ze). */
    private void placeOrder(FreeAreaSnapshot.ZoneFreeArea area, int zs, int ze, int o) {
        int size = 1 << o;
        int first = (zs + size - 1) & -size;
        int count = Math.max(0, (ze - first) / size);
        // per pageblock type as the trace shows it: regions of the order below that the trace takes wholly
        // from the buddy lists while it does not take their buddy wholly, against the snapshot's blocks of
        // that order and type (each such region lies in a free block of that order or of this one)
        int[] wholeHalves = new int[TYPES.length];
        if (o > pbo) {
            int half = size >> 1;
            for (int s = (zs + size - 1) & -size; s + size <= ze; s += size) {
                boolean a = wholeFreeKnown(s, half);
                if (a != wholeFreeKnown(s + half, half)) {
                    int t = pbEvidence[(a ? s : s + half) >> pbo];
                    if (t >= 0) {
                        wholeHalves[t]++;
                    }
                }
            }
        }
        Map<MigrateType, List<Long>> lowerByType = area.freeBlocksByType();
        int[] support = new int[count];
        int[] near = new int[count];
        boolean[] pinned = new boolean[count];
        boolean[] ok = new boolean[count];
        byte[] required = new byte[count];
        byte[] list = new byte[count];
        for (int k = 0; k < count; k++) {
            int s = first + k * size;
            required[k] = requiredOrder[s] == o ? requiredType[s] : 0;
            boolean good = true;
            int sup = 0;
            for (int p = s; p < s + size && good; p++) {
                byte c = cls[p];
                good = c != HOLE && c != PCP_KNOWN && c != ALLOC_KNOWN && free[p] == 0;
                sup += c == FREE_KNOWN ? 1 : 0;
                byte lt = listType[p];
                list[k] = lt == 0 || list[k] == lt ? list[k] : list[k] == 0 ? lt : (byte) -1;
            }
            ok[k] = good;
            support[k] = sup;
        }
        boolean[] overflow = o > pbo ? overflowBlocks(zs, ze, o, first, size, ok, support, list, lowerByType)
                : new boolean[count];
        for (int k = 0; k < count; k++) {
            int s = first + k * size;
            boolean good = ok[k];
            int sup = support[k];
            if (good && sup > 0 && o > pbo && (untouched(s, size >> 1) || untouched(s + (size >> 1), size >> 1))) {
                // A block above pageblock order of which the trace names one half only: the kernel had either
                // this block (the trace stopped taking from it halfway) or a smaller one whose buddy was
                // allocated. The last choice, unless the trace takes that whole half from the buddy lists
                // and more such halves exist than the snapshot has blocks of the order below: then some of
                // them were halves of this order's blocks, and they rank before the candidates the trace
                // says nothing about (validate3's 6.1.176 run: the dd took half of an order-10 block).
                int t = pbEvidence[(untouched(s, size >> 1) ? s + (size >> 1) : s) >> pbo];
                List<Long> lower = t < 0 ? null : lowerByType.get(TYPES[t]);
                boolean likely = sup == size >> 1 && lower != null && lower.size() > o - 1
                        && wholeHalves[t] > lower.get(o - 1);
                support[k] = overflow[k] ? sup : likely ? 0 : -1;
                near[k] = likely ? Integer.MAX_VALUE : 0;
            }
            if (good && o < maxOrder) {
                int bs = s ^ size;
                for (int p = Math.max(bs, 0); p < Math.min(bs + size, n); p++) {
                    byte c = cls[p];
                    if (sup == 0) {
                        near[k] += c != UNKNOWN && c != HOLE && c != FREED_WEAK ? 1 : 0;
                    }
                    pinned[k] |= c == HOLE || c == PCP_KNOWN || c == ALLOC_KNOWN;
                }
            }
        }
        Map<MigrateType, List<Long>> byType = area.freeBlocksByType();
        for (MigrateType t : new MigrateType[] {MigrateType.CMA, MigrateType.MOVABLE, MigrateType.UNMOVABLE,
                MigrateType.RECLAIMABLE, MigrateType.HIGHATOMIC, MigrateType.ISOLATE}) {
            long need = byType.isEmpty() ? (t == MigrateType.MOVABLE ? area.freeBlocks().get(o) : 0)
                    : byType.getOrDefault(t, List.of()).size() > o ? byType.get(t).get(o) : 0;
            if (need == 0) {
                continue;
            }
            long left = choose(first, size, o, ok, required, support, near, pinned, list, t, need, true);
            if (left > 0) {
                left = choose(first, size, o, ok, required, support, near, pinned, list, t, left, false);
            }
            if (left > 0) {
                stats.merge("start.free_blocks_not_placed", left, Long::sum);
                notes.add("zone " + area.zone().printedName() + ": " + left + " free order-" + o + " "
                        + t.printedName() + " blocks of the snapshot found no place");
            }
        }
    }

    /**
     * Chooses {@code need} blocks of type {@code t}: the ones a first-use extfrag names with this type first,
     * then supported ones by descending support (at equal support first those whose buddy holds a page that
     * cannot be free — a hole, the kernel image, a per-CPU or allocated page — so the block could not have
     * merged further), then unsupported
     * ones (type-matching pageblocks first, then descending PFN). With {@code strictCma} a CMA block goes
     * only into the CMA area and other types only outside it.
     */
    private long choose(int first, int size, int o, boolean[] ok, byte[] required, int[] support, int[] near,
                        boolean[] pinned, byte[] list, MigrateType t, long need, boolean strictCma) {
        int count = ok.length;
        Integer[] order = new Integer[count];
        int m = 0;
        for (int k = 0; k < count; k++) {
            if (ok[k]) {
                order[m++] = k;
            }
        }
        Integer[] cand = Arrays.copyOf(order, m);
        int tt = t.ordinal();
        Arrays.sort(cand, (x, y) -> {
            boolean rx = required[x] == tt + 1;
            boolean ry = required[y] == tt + 1;
            if (rx != ry) {
                return rx ? -1 : 1;
            }
            boolean wx = list[x] > 0 && list[x] != tt + 1;
            boolean wy = list[y] > 0 && list[y] != tt + 1;
            if (wx != wy) {
                return wx ? 1 : -1;
            }
            if (support[x] != support[y]) {
                return Integer.compare(support[y], support[x]);
            }
            boolean lx = list[x] == tt + 1;
            boolean ly = list[y] == tt + 1;
            if (support[x] > 0 && lx != ly) {
                return lx ? -1 : 1;
            }
            if (support[x] > 0 && pinned[x] != pinned[y]) {
                return pinned[x] ? -1 : 1;
            }
            if (near[x] != near[y]) {
                return Integer.compare(near[y], near[x]);
            }
            int mx = typeMatch(first + x * size, tt);
            int my = typeMatch(first + y * size, tt);
            if (mx != my) {
                return Integer.compare(my, mx);
            }
            return Integer.compare(y, x);
        });
        long left = need;
        for (int k : cand) {
            if (left == 0) {
                break;
            }
            int s = first + k * size;
            if (!ok[k] || (strictCma && machine.cmaBytes() > 0 && inCma(s) != (t == MigrateType.CMA))) {
                continue;
            }
            if (o < maxOrder && isFreeHead(s ^ size, o)) {
                continue;
            }
            placeFree(s, o, tt);
            ok[k] = false;
            left--;
        }
        return left;
    }

    /**
     * The candidates of order {@code o} (above pageblock order) that the trace takes only partly but that must
     * be blocks of this order: per type, the pages the trace took from that type's free list (while no
     * fallback had moved them) that lie outside the blocks already placed and outside the wholly known-free
     * candidates of this order the snapshot has room for are more than the snapshot's blocks of that type
     * below order {@code o} can hold. Then some of them lay in blocks of this order that the trace took only
     * partly (a refill stream that stopped before the end of its block: validate3's 512M run, whose dd took
     * 359 pages of an order-10 Movable block); the partly taken candidates of that type are chosen by
     * descending support until they cover the overflow.
     */
    private boolean[] overflowBlocks(int zs, int ze, int o, int first, int size, boolean[] ok, int[] support,
                                     byte[] list, Map<MigrateType, List<Long>> byType) {
        boolean[] out = new boolean[ok.length];
        if (byType.isEmpty()) {
            return out;
        }
        long[] known = new long[TYPES.length];
        for (int p = Math.max(zs, 0); p < Math.min(ze, n); p++) {
            if (cls[p] == FREE_KNOWN && listType[p] > 0 && free[p] == 0) {
                known[listType[p] - 1]++;
            }
        }
        long[] whole = new long[TYPES.length];
        for (int k = 0; k < ok.length; k++) {
            if (ok[k] && support[k] == size && list[k] > 0) {
                whole[list[k] - 1]++;
            }
        }
        long[] excess = new long[TYPES.length];
        for (int t = 0; t < TYPES.length; t++) {
            List<Long> counts = byType.getOrDefault(TYPES[t], List.of());
            long room = 0;
            for (int j = 0; j < o && j < counts.size(); j++) {
                room += counts.get(j) << j;
            }
            long here = counts.size() > o ? counts.get(o) : 0;
            excess[t] = Math.max(0, known[t] - Math.min(here, whole[t]) * size - room);
        }
        List<Integer> partial = new ArrayList<>();
        for (int k = 0; k < ok.length; k++) {
            int s = first + k * size;
            if (ok[k] && support[k] > 0 && support[k] < size && list[k] > 0 && excess[list[k] - 1] > 0
                    && (untouched(s, size >> 1) || untouched(s + (size >> 1), size >> 1))) {
                partial.add(k);
            }
        }
        partial.sort((x, y) -> support[x] != support[y] ? Integer.compare(support[y], support[x])
                : Integer.compare(y, x));
        for (int k : partial) {
            int t = list[k] - 1;
            if (excess[t] > 0) {
                out[k] = true;
                excess[t] -= support[k];
            }
        }
        return out;
    }

    private boolean wholeFreeKnown(int s, int len) {
        for (int p = s; p < s + len; p++) {
            if (cls[p] != FREE_KNOWN || free[p] != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean untouched(int s, int len) {
        for (int p = s; p < s + len; p++) {
            if (cls[p] != UNKNOWN) {
                return false;
            }
        }
        return true;
    }

    /** 2 when the block's pageblock has type t, 1 when untyped, 0 otherwise. */
    private int typeMatch(int s, int t) {
        int pt = pbType[s >> pbo];
        return pt == t ? 2 : pt < 0 ? 1 : 0;
    }

    private boolean isFreeHead(int i, int o) {
        return i >= 0 && i < n && free[i] == o + 1;
    }

    private void placeFree(int s, int o, int t) {
        free[s] = (byte) (o + 1);
        freeType[s] = (byte) t;
        for (int p = s + 1; p < s + (1 << o); p++) {
            free[p] = -1;
        }
        if (o >= pbo) {
            for (int p = s; p < s + (1 << o); p += 1 << pbo) {
                if (pbType[p >> pbo] < 0) {
                    pbType[p >> pbo] = (byte) t;
                }
            }
        } else {
            byte[] v = pbVotes[s >> pbo];
            if (v == null) {
                v = new byte[TYPES.length];
                pbVotes[s >> pbo] = v;
            }
            v[t] = (byte) Math.min(127, v[t] + 1);
        }
    }

    /** Gives the zone's untyped pageblocks the types pagetypeinfo still has room for. */
    private void typePageblocks(int zs, int ze, long[] counts) {
        int fb = zs >> pbo;
        int lb = (ze - 1) >> pbo;
        long[] left = new long[TYPES.length];
        if (counts != null) {
            System.arraycopy(counts, 0, left, 0, Math.min(counts.length, left.length));
        } else {
            left[MigrateType.MOVABLE.ordinal()] = lb - fb + 1;
        }
        for (int b = fb; b <= lb; b++) {
            if (pbType[b] >= 0) {
                left[pbType[b]]--;
            }
        }
        for (int b = fb; b <= lb; b++) {
            if (pbType[b] < 0 && pbVotes[b] != null) {
                int best = -1;
                for (int t = 0; t < TYPES.length; t++) {
                    if (pbVotes[b][t] > 0 && left[t] > 0 && (best < 0 || pbVotes[b][t] > pbVotes[b][best])) {
                        best = t;
                    }
                }
                if (best >= 0) {
                    pbType[b] = (byte) best;
                    left[best]--;
                }
            }
        }
        int t = 0;
        for (int b = fb; b <= lb; b++) {
            if (pbType[b] >= 0) {
                continue;
            }
            while (t < TYPES.length && left[t] <= 0) {
                t++;
            }
            pbType[b] = (byte) (t < TYPES.length ? t : MigrateType.MOVABLE.ordinal());
            if (t < TYPES.length) {
                left[t]--;
            }
        }
        for (int b = fb; b <= lb; b++) {
            int s = b << pbo;
            for (int p = s; p < Math.min(s + (1 << pbo), n); p++) {
                if (free[p] > 0 && freeType[p] != pbType[b] && free[p] - 1 < pbo) {
                    stats.merge("start.free_blocks_in_other_type_pageblock", 1L, Long::sum);
                }
            }
        }
    }

    /**
     * Takes the per-CPU pages the trace never names first from pageblocks whose type's order-0 list that CPU's trace
     * never refills, each on its own pageblock type's list. 6.1 {@code free_unref_page()} files a freed page on the
     * list of its pageblock's type, {@code __rmqueue_pcplist()} refills only an empty list, and a page leaves a list
     * only by {@code mm_page_alloc} or {@code mm_page_pcpu_drain}, both of which name it; so a page the trace never
     * names sat on a list the trace never refills, and came from a pageblock of that type. Pages the zone's
     * untouched top cannot supply that way are placed as before. The twin sets it for policy mode, where the start
     * state's lists and free blocks decide the twin's own refills and merges (amd64-2G-2cpu-mem1536M: 1,459 such
     * pages on movable pageblocks at the zone's top kept three order-10 blocks from forming, policy 1.396 → 0.000 %;
     * docs/fidelity.md round 5). In exact mode the trace's refills are applied whatever the lists hold, and moving
     * these pages moved compaction's free scanner out of its bounds on three bundles.
     */
    void unseenPcpOnUnrefilledPageblocks(boolean on) {
        unseenOnUnrefilledPageblocks = on;
    }

    /** Per-CPU pages zoneinfo counts but the trace never names: order-0 pcp pages on untouched allocated PFNs. */
    private void placeUnseenPcp() {
        for (Zoneinfo.ZoneEntry z : machine.zones().zones()) {
            if (z.managed() == 0 || z.startPfn() < 0 || z.node() != 0) {
                continue;
            }
            long[] seen = new long[machine.cpus()];
            int zs = idx(z.startPfn());
            int ze = zs + (int) z.spanned();
            for (Block b : blocks) {
                int i = idx(b.pfn());
                if (b.kind() == Kind.PER_CPU && i >= zs && i < ze) {
                    seen[b.cpu()] += 1L << b.order();
                }
            }
            int cursor = ze - 1;
            long placed = 0;
            long onUnrefilled = 0;
            for (Zoneinfo.Pageset ps : z.pagesets()) {
                if (ps.cpu() >= machine.cpus()) {
                    continue;
                }
                long want = ps.count() - seen[ps.cpu()];
                boolean[] refilled = new boolean[MigrateType.PCPTYPES];
                for (var e : refilledList.int2IntEntrySet()) {
                    if (e.getIntKey() >= zs && e.getIntKey() < ze && e.getIntValue() / MigrateType.PCPTYPES == ps.cpu()) {
                        refilled[e.getIntValue() % MigrateType.PCPTYPES] = true;
                    }
                }
                for (int p = ze - 1; unseenOnUnrefilledPageblocks && want > 0 && p >= zs; p--) {
                    int t = pbType[p >> pbo];
                    if (cls[p] == UNKNOWN && free[p] == 0 && t >= 0 && t < MigrateType.PCPTYPES && !refilled[t]) {
                        cls[p] = PCP_KNOWN;
                        blocks.add(new Block(base + p, 0, Kind.PER_CPU, TYPES[t], ps.cpu()));
                        want--;
                        placed++;
                        onUnrefilled++;
                    }
                }
                for (; want > 0 && cursor >= zs; cursor--) {
                    if (cls[cursor] == UNKNOWN && free[cursor] == 0) {
                        cls[cursor] = PCP_KNOWN;
                        int t = pbType[cursor >> pbo];
                        t = t >= 0 && t < MigrateType.PCPTYPES ? t : MigrateType.MOVABLE.ordinal();
                        blocks.add(new Block(base + cursor, 0, Kind.PER_CPU, TYPES[t], ps.cpu()));
                        want--;
                        placed++;
                    }
                }
            }
            stats.merge("start.pcp_pages_not_in_trace", placed, Long::sum);
            if (unseenOnUnrefilledPageblocks) {
                stats.merge("start.pcp_pages_not_in_trace_on_unrefilled_pageblocks", onUnrefilled, Long::sum);
            }
        }
    }

    private List<PageStateImage.ZoneSettings> zoneSettings() {
        List<PageStateImage.ZoneSettings> out = new ArrayList<>();
        for (Zoneinfo.ZoneEntry z : machine.zones().zones()) {
            if (z.node() != 0) {
                continue;
            }
            long boost = z.boostOrZero();
            List<Integer> high = new ArrayList<>();
            int batch = -1;
            for (Zoneinfo.Pageset ps : z.pagesets()) {
                if (ps.cpu() == high.size()) {
                    high.add((int) ps.high());
                }
                batch = (int) ps.batch();
            }
            out.add(new PageStateImage.ZoneSettings(0, z.zone(), z.managed(), z.min() - boost, z.low() - boost,
                    z.high() - boost, z.protection(), high, batch));
        }
        return out;
    }
}
