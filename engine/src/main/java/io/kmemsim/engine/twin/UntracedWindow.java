package io.kmemsim.engine.twin;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.procfs.Pagetypeinfo;
import io.kmemsim.engine.procfs.PagetypeinfoParser;
import io.kmemsim.engine.procfs.VmstatParser;
import io.kmemsim.engine.procfs.Zoneinfo;
import io.kmemsim.engine.procfs.ZoneinfoParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The untraced window between a bundle's {@code after} snapshot and its {@code compacted} one, rebuilt from the
 * bundle's own counters (inferred, not traced). Tracing stops at the {@code after} snapshot, but the kernel keeps
 * working until {@code compact_memory} runs (the bench reads the after files, forks for its slab table, with
 * {@code -K} writes {@code /proc/kpageflags} to a tmpfs file), and that work moves pages between the per-CPU
 * lists and the buddy lists and allocates pages the trace never sees.
 *
 * <p>The kernel's accounting (6.1) that the step reads, over {@code vmstat.after.txt} → {@code vmstat.compacted.txt}:
 * <ul>
 *   <li>{@code pgalloc_<zone>} counts every page handed out by {@code rmqueue()} (pcp or buddy path) and by
 *       {@code __alloc_pages_bulk()} (mm/page_alloc.c); compaction's migration targets are isolated free pages
 *       ({@code isolate_freepages_block()} → {@code __isolate_free_page()}) and are not counted; refills of a
 *       per-CPU list ({@code rmqueue_bulk()}) and its bulk frees ({@code free_pcppages_bulk()}) only move pages
 *       and are not counted either.</li>
 *   <li>{@code pgfree} counts every page given back ({@code free_unref_page_commit()}, {@code __free_pages_ok()}),
 *       including each migrated source page (mm/migrate.c: {@code unmap_and_move()} puts the source page after a
 *       successful move, counted in {@code pgmigrate_success}).</li>
 *   <li>Compaction itself leaves the number of free pages (buddy + per-CPU) unchanged: each migration takes one
 *       isolated free page and frees its source. So the untraced work changed the free pages by
 *       {@code T = pgfree − pgmigrate_success − Σ pgalloc_*}; when {@code T < 0} the step makes {@code −T}
 *       order-0 {@code GFP_HIGHUSER_MOVABLE} allocations through the allocator's normal path (per-CPU list, then
 *       {@code rmqueue_bulk()} refills, which take the smallest free blocks first). On the committed bundles the
 *       identity holds to within 0–70 pages of the buddy + per-CPU totals measured from buddyinfo and zoneinfo
 *       (compaction's unused isolated pages, {@code release_freepages()}, are the rest).</li>
 *   <li>The per-CPU lists: {@code zoneinfo.compacted.txt}'s {@code count:} per CPU and zone is the kernel's list
 *       length when it was read, which is after {@code compact_memory} (the bench writes {@code compact_memory},
 *       then reads buddyinfo, vmstat, pagetypeinfo and only then zoneinfo), so it already holds compaction's own
 *       frees: each migrated source page and each unused isolated free page ({@code release_freepages()}) is an
 *       order-0 {@code free_unref_page_commit()} on the compacting CPU's list (mm/page_alloc.c, mm/compaction.c,
 *       6.1), trimmed by {@code free_pcppages_bulk()} when the list reaches {@code nr_pcp_high()}. 6.1's
 *       {@code compact_memory} drains no list ({@code compact_zone()} calls {@code lru_add_drain_cpu_zone()} and
 *       drains pcp only for {@code cc->order > 0}). The list lengths at {@code compact_memory}'s start are not in
 *       the bundle, but one bound is: no frees on a list make it shorter, and compaction frees only onto the
 *       compacting CPU's list, so a list whose count is below the twin's was bulk-freed in the window. The step
 *       therefore bulk-frees ({@code free_pcppages_bulk()}, each list from its tail) every list above its count
 *       BEFORE {@code compact_memory}, and brings each list to its count AFTER it, where the kernel read it (a list
 *       that must grow takes frees of pages allocated from the head of a list that must shrink, allocated on one CPU
 *       and freed on another, and without such a list a {@code rmqueue_bulk()} refill of order-0 movable pages from
 *       the buddy lists, the smallest blocks first; what a list still holds above its count is bulk-freed). Growing
 *       the lists to their counts before compaction counted compaction's frees twice (the twin's frees landed on a
 *       list already at the kernel's final length, which holds the kernel's).</li>
 *   <li>Unmovable and reclaimable requests ({@code pagetypeinfo.after.txt} → {@code pagetypeinfo.compacted.txt}):
 *       compaction for {@code compact_memory} neither takes nor claims non-movable free pages, so what the kernel's
 *       unmovable and reclaimable buddy lists lost over the step (with the pages of every pageblock their type
 *       gained: a fallback claim, mm/page_alloc.c: steal_suitable_fallback() (6.1)) went to requests of that type in
 *       the window — forks' page tables, stacks and slab pages, served from per-CPU lists that {@code rmqueue_bulk()}
 *       refills. BEFORE {@code compact_memory} the step refills the allocating CPU's list of that type by as many
 *       pages ({@code __rmqueue()}: smallest blocks first, then a fallback claim of the largest free block of another
 *       type, as the kernel's did), where the twin's lists of that type can serve them as the kernel's did
 *       ({@link #nonMovableTake}). Without it the twin's window, all movable, left whole the order-10 block the amd64
 *       1 GiB run's kernel claimed for unmovable pages (2 more Unmovable pageblocks; compacted 1.070 % → 0.275 %).</li>
 * </ul>
 * Measured on the twelve real runs (docs/fidelity.md, "After compact_memory"): the compacted distance summed over
 * them fell from 4.766 to 3.858 % with this order.
 * The allocating CPU is the one whose lists grew most over the window (the refills of an allocating CPU leave
 * pages on its list); with no growth, the one whose lists shrank most ({@link #allocatingCpu}). {@code compact_memory}
 * runs on it too ({@link #compactingCpu}). A positive {@code T} (net frees) is not applied: which pages were
 * freed is not in the bundle.
 */
final class UntracedWindow {

    /** What the step did (for twin.json and the report). */
    record Step(long pgalloc, long pgfree, long migrated, long netChange, int allocCpu, long allocationsAsked,
                long allocationsMade, Map<String, Long> before, Map<String, Long> after) {

        /** The step's figures as twin.json's {@code window} keys. */
        Map<String, Long> figures() {
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("vmstat.pgalloc", pgalloc);
            m.put("vmstat.pgfree", pgfree);
            m.put("vmstat.pgmigrate_success", migrated);
            m.put("free_pages_change", netChange);
            m.put("allocating_cpu", (long) allocCpu);
            m.put("order0_movable_allocations_asked", allocationsAsked);
            m.put("order0_movable_allocations_made", allocationsMade);
            before.forEach((k, v) -> m.put("before_compact_memory." + k, v));
            after.forEach((k, v) -> m.put("after_compact_memory." + k, v));
            return m;
        }
    }

    private final long pgalloc;
    private final long pgfree;
    private final long migrated;
    /** The kernel's per-CPU list lengths at the compacted snapshot, per zone. */
    private final Map<ZoneType, long[]> target;
    private final int allocCpu;
    /** Per zone, the kernel's non-movable takes over the window (see {@link #nonMovableTaken}); empty without pagetypeinfo. */
    private final Map<ZoneType, TypeWindow[]> nonMovable;
    /** Per zone and pcp type: the twin's free lists of that type held the kernel's {@code after} blocks when the window began. */
    private final Map<ZoneType, boolean[]> startedAsKernel = new LinkedHashMap<>();
    private final Map<String, Long> before = new LinkedHashMap<>();
    private final Map<String, Long> after = new LinkedHashMap<>();
    /**
     * Per zone, per CPU and pcp type ({@code [cpu][type.ordinal()]}): the pages {@link #nonMovableRefills} put on
     * that CPU's list for the window's non-movable requests and no later step has taken yet.
     */
    private final Map<ZoneType, long[][]> refilledLeft = new LinkedHashMap<>();
    private long asked;
    private long made;

    private UntracedWindow(long pgalloc, long pgfree, long migrated, Map<ZoneType, long[]> target, int allocCpu,
                           Map<ZoneType, TypeWindow[]> nonMovable) {
        this.nonMovable = nonMovable;
        this.pgalloc = pgalloc;
        this.pgfree = pgfree;
        this.migrated = migrated;
        this.target = target;
        this.allocCpu = allocCpu;
    }

    static final String[] FILES = {"vmstat.after.txt", "vmstat.compacted.txt", "zoneinfo.after.txt", "zoneinfo.compacted.txt"};

    /**
     * The window's evidence, or empty (with a note) when the bundle lacks one of {@link #FILES}.
     */
    static Optional<UntracedWindow> read(Bundle b, int cpus, List<String> notes) {
        List<String> missing = new ArrayList<>();
        for (String f : FILES) {
            if (!b.has(f)) {
                missing.add(f);
            }
        }
        if (!missing.isEmpty()) {
            notes.add("untraced window before compact_memory not rebuilt: the bundle has no " + String.join(", ", missing));
            return Optional.empty();
        }
        Map<String, Long> va = vmstat(b, "vmstat.after.txt");
        Map<String, Long> vc = vmstat(b, "vmstat.compacted.txt");
        long pgalloc = 0;
        for (Map.Entry<String, Long> e : vc.entrySet()) {
            if (e.getKey().startsWith("pgalloc_")) {
                pgalloc += e.getValue() - va.getOrDefault(e.getKey(), 0L);
            }
        }
        long pgfree = delta(b, va, vc, "pgfree");
        long migrated = delta(b, va, vc, "pgmigrate_success");
        Map<ZoneType, long[]> countAfter = pcpCounts(b, "zoneinfo.after.txt", cpus);
        Map<ZoneType, long[]> countCompacted = pcpCounts(b, "zoneinfo.compacted.txt", cpus);
        long[] rise = new long[cpus];
        for (Map.Entry<ZoneType, long[]> e : countCompacted.entrySet()) {
            long[] a = countAfter.get(e.getKey());
            for (int c = 0; c < cpus; c++) {
                rise[c] += e.getValue()[c] - (a == null ? 0 : a[c]);
            }
        }
        int cpu = allocatingCpu(rise);
        Map<ZoneType, TypeWindow[]> typed = b.has("pagetypeinfo.after.txt") && b.has("pagetypeinfo.compacted.txt")
                ? nonMovableTaken(pagetypeinfo(b, "pagetypeinfo.after.txt"), pagetypeinfo(b, "pagetypeinfo.compacted.txt"))
                : Map.of();
        return Optional.of(new UntracedWindow(pgalloc, pgfree, migrated, countCompacted, cpu, typed));
    }

    /**
     * The CPU of the window's work: the one whose per-CPU lists grew most over the window (an allocating CPU's
     * refills, and the frees of the CPU that compacts, leave pages on its lists); when no list grew, the one whose
     * lists shrank most (its allocations were served from its own list, 6.1 {@code rmqueue_pcplist()}, and never
     * refilled: a CPU whose list barely moved did little). {@code capture-arm64-1G/capture}: CPU 0 3338 → 2764,
     * CPU 1 623 → 611, 1,034 pages allocated net; taking them on CPU 1 emptied its list and refilled from the buddy
     * lists, splitting free blocks the kernel kept (compacted 1.324 % against 0.000 % without the window).
     */
    static int allocatingCpu(long[] rise) {
        int grew = 0;
        int shrank = 0;
        for (int c = 1; c < rise.length; c++) {
            if (rise[c] > rise[grew]) {
                grew = c;
            }
            if (rise[c] < rise[shrank]) {
                shrank = c;
            }
        }
        return rise.length == 0 || rise[grew] > 0 ? grew : shrank;
    }

    /**
     * The CPU that runs {@code compact_memory}, whose per-CPU lists take its frees (migrated source pages, unused
     * isolated pages): the window's CPU ({@link #allocatingCpu}). The bundle does not say which CPU wrote
     * {@code compact_memory}; the lists that grew over the step hold its frees.
     */
    int compactingCpu() {
        return allocCpu;
    }

    /**
     * The untraced work before {@code compact_memory}: the net allocations, then the bulk frees of every list above its
     * count (the lists that must grow are brought to their counts after it).
     */
    void beforeCompaction(PageAllocator a) {
        noteStart(a);
        long t = pgfree - migrated - pgalloc;
        asked = Math.max(0, -t);
        for (long i = 0; i < asked; i++) {
            if (a.allocate(0, Gfp.GFP_HIGHUSER_MOVABLE, allocCpu) == PageAllocator.NO_PAGE) {
                break;
            }
            made++;
        }
        long drained = bulkFreeExcess(a, target, before);
        before.put("pcp_pages_bulk_freed", drained);
        before.put("pcp_pages_refilled_non_movable", nonMovableRefills(a, before));
        before.put("twin_pcp_pages", pcpPages(a, false));

    }

    /**
     * After the twin's {@code compact_memory}: records the twin's per-CPU pages as its compaction left them, then
     * brings every list to the kernel's count (read after the kernel's {@code compact_memory}) and records both ends.
     */
    void afterCompaction(PageAllocator a) {
        after.put("twin_pcp_pages_from_compaction", pcpPages(a, false));
        reconcile(a, target, refilledLeft, after);
        after.put("twin_pcp_pages", pcpPages(a, false));
        after.put("kernel_pcp_pages", pcpPages(a, true));
    }

    /**
     * The window's unmovable and reclaimable requests: for each zone and non-movable type, a {@code rmqueue_bulk()}
     * refill of the allocating CPU's list of that type ({@code __rmqueue()}: the type's smallest free blocks first,
     * then {@code __rmqueue_fallback()}, which claims the largest free block of a fallback type) of the pages
     * {@link #nonMovableTake} gives; the pages refilled. The list then holds them as the kernel's lists held its
     * (the per-CPU counts are brought to the kernel's after compaction, {@link #reconcile}).
     */
    private long nonMovableRefills(PageAllocator a, Map<String, Long> out) {
        long typed = 0;
        for (Zone z : a.zones()) {
            TypeWindow[] kernel = nonMovable.get(z.type());
            if (kernel == null || !z.populated()) {
                continue;
            }
            for (MigrateType mt : NON_MOVABLE) {
                TypeWindow k = kernel[mt.ordinal()];
                boolean same = startedAsKernel.getOrDefault(z.type(), new boolean[MigrateType.PCPTYPES])[mt.ordinal()];
                long take = k == null ? 0 : nonMovableTake(z, mt, k, same, a.pageblockOrder(), a.maxOrder());
                if (take > 0) {
                    int n = a.pcpRefill(z.type(), allocCpu, (int) take, mt);
                    typed += n;
                    refilledLeft.computeIfAbsent(z.type(), zt -> new long[allocCpu + 1][MigrateType.PCPTYPES])
                            [allocCpu][mt.ordinal()] += n;
                    out.merge("cpu" + allocCpu + "." + z.name() + "." + mt.printedName().toLowerCase(java.util.Locale.ROOT)
                            + "_pcp_pages_refilled", (long) n, Long::sum);
                }
            }
        }
        return typed;
    }

    /** The per-CPU pages of the zones with a kernel count: the twin's, or ({@code kernel}) the kernel's. */
    private long pcpPages(PageAllocator a, boolean kernel) {
        long n = 0;
        for (Zone z : a.zones()) {
            long[] want = target.get(z.type());
            if (want == null || !z.populated()) {
                continue;
            }
            for (int c = 0; c < want.length; c++) {
                n += kernel ? want[c] : z.pcpCount(c);
            }
        }
        return n;
    }

    Step step() {
        return new Step(pgalloc, pgfree, migrated, pgfree - migrated - pgalloc, allocCpu, asked, made, before, after);
    }

    /**
     * Brings every per-CPU list to the kernel's count: a list that must grow takes frees of pages allocated from the
     * head of a list that must shrink (the largest excess first; the kernel's allocation takes the list head and its
     * free adds at the head, {@code rmqueue_pcplist()}, {@code free_unref_page_commit()}), then, with no such list
     * left, a {@code rmqueue_bulk()} refill from the buddy lists; the lists still above their count are then
     * bulk-freed ({@code free_pcppages_bulk()}, each list from its tail).
     */
    private static void reconcile(PageAllocator a, Map<ZoneType, long[]> target, Map<ZoneType, long[][]> refilledLeft,
                                  Map<String, Long> out) {
        long moved = 0;
        long refilled = 0;
        for (Zone z : a.zones()) {
            long[] want = target.get(z.type());
            if (want == null || !z.populated()) {
                continue;
            }
            for (int c = 0; c < want.length; c++) {
                long rise = want[c] - z.pcpCount(c);
                for (long tries = rise; rise > 0 && tries > 0; tries--) {
                    int donor = donor(z, want);
                    if (donor < 0) {
                        break;
                    }
                    MigrateType from = refilledType(refilledLeft.get(z.type()), donor);
                    long pfn = a.allocate(0, gfpOf(from), donor);
                    if (pfn == PageAllocator.NO_PAGE) {
                        break;
                    }
                    if (from != MigrateType.MOVABLE) {
                        refilledLeft.get(z.type())[donor][from.ordinal()]--;
                    }
                    if (pfn < z.startPfn() || pfn >= z.startPfn() + z.spannedPages()) {
                        a.freeTraced(pfn, 0, donor); // movable allocations prefer another zone: back where it came from
                        break;
                    }
                    a.freeTraced(pfn, 0, c);
                    long left = want[c] - z.pcpCount(c);
                    if (left >= rise) {
                        break; // the free did not reach the list (an isolated pageblock)
                    }
                    rise = left;
                    moved++;
                    out.merge("cpu" + c + "." + z.name() + ".pcp_pages_freed_from_other_lists", 1L, Long::sum);
                }
                if (rise > 0) {
                    int n = a.pcpRefill(z.type(), c, (int) rise, MigrateType.MOVABLE);
                    refilled += n;
                    out.merge("cpu" + c + "." + z.name() + ".pcp_pages_refilled", (long) n, Long::sum);
                }
            }
        }
        long drained = bulkFreeExcess(a, target, out);
        out.put("pcp_pages_freed_from_other_lists", moved);
        out.put("pcp_pages_refilled", refilled);
        out.put("pcp_pages_bulk_freed", drained);
    }

    /** Bulk-frees ({@code free_pcppages_bulk()}, each list from its tail) every list above its count; the pages. */
    private static long bulkFreeExcess(PageAllocator a, Map<ZoneType, long[]> target, Map<String, Long> out) {
        long drained = 0;
        for (Zone z : a.zones()) {
            long[] want = target.get(z.type());
            if (want == null || !z.populated()) {
                continue;
            }
            for (int c = 0; c < want.length; c++) {
                long drop = z.pcpCount(c) - want[c];
                if (drop > 0) {
                    int n = a.pcpFreeBulk(z.type(), c, (int) drop);
                    drained += n;
                    out.merge("cpu" + c + "." + z.name() + ".pcp_pages_bulk_freed", (long) n, Long::sum);
                }
            }
        }
        return drained;
    }

    /**
     * The list a page moved from {@code donor}'s per-CPU lists to another CPU's is taken from: the non-movable pages
     * the window refilled onto the donor for its unmovable/reclaimable requests first (those requests allocated them
     * in the kernel; 6.1 {@code rmqueue_pcplist()} takes the request's own type's list), then the movable list. Asking
     * movable first would, once the donor's movable list is empty, refill it from the buddy lists
     * ({@code rmqueue_bulk()}) and take free blocks the kernel kept (validate4's THP run: 718 buddy pages, the
     * movable orders 0–2 and an order-9 block).
     */
    private static MigrateType refilledType(long[][] left, int donor) {
        if (left != null && donor < left.length) {
            for (MigrateType mt : NON_MOVABLE) {
                if (left[donor][mt.ordinal()] > 0) {
                    return mt;
                }
            }
        }
        return MigrateType.MOVABLE;
    }

    /** An order-0 request of {@code mt}'s mobility (6.1 include/linux/gfp.h: gfp_migratetype()). */
    private static int gfpOf(MigrateType mt) {
        return switch (mt) {
            case UNMOVABLE -> Gfp.GFP_KERNEL;
            case RECLAIMABLE -> Gfp.GFP_KERNEL | Gfp.RECLAIMABLE;
            default -> Gfp.GFP_HIGHUSER_MOVABLE;
        };
    }

    /** The CPU whose list is furthest above its count, or −1. */
    private static int donor(Zone z, long[] want) {
        int donor = -1;
        long most = 0;
        for (int d = 0; d < want.length; d++) {
            long excess = z.pcpCount(d) - want[d];
            if (excess > most) {
                most = excess;
                donor = d;
            }
        }
        return donor;
    }

    private static final MigrateType[] NON_MOVABLE = {MigrateType.UNMOVABLE, MigrateType.RECLAIMABLE};

    /**
     * Per zone of node 0 and per non-movable pcp type t ({@code [t.ordinal()]}), what the kernel's t lists show over
     * the window, {@code pagetypeinfo.after.txt} → {@code pagetypeinfo.compacted.txt} ({@link TypeWindow}). The pages
     * taken are {@code free_t(after) − free_t(compacted) + pageblock_nr_pages × gained} when positive: a fallback that claims a free block of pageblock order or more moves all its pages to t's
     * lists and retypes its pageblocks (mm/page_alloc.c: steal_suitable_fallback() (6.1)), so each pageblock t gained
     * brought its pages along. Compaction for {@code compact_memory} neither takes nor claims non-movable free pages
     * (its targets are MOVABLE/CMA pageblocks only: suitable_migration_target() with ignore_block_suitable false, 6.1),
     * so what t's lists lost went to t's requests in the window.
     */
    static Map<ZoneType, TypeWindow[]> nonMovableTaken(Pagetypeinfo after, Pagetypeinfo compacted) {
        Map<ZoneType, TypeWindow[]> m = new LinkedHashMap<>();
        long pbn = 1L << after.pageblockOrder();
        for (Pagetypeinfo.ZoneTypes za : after.zones()) {
            if (za.node() != 0) {
                continue;
            }
            Pagetypeinfo.ZoneTypes zc = null;
            for (Pagetypeinfo.ZoneTypes z : compacted.zones()) {
                if (z.node() == 0 && z.zone() == za.zone()) {
                    zc = z;
                }
            }
            if (zc == null) {
                continue;
            }
            TypeWindow[] v = new TypeWindow[MigrateType.PCPTYPES];
            for (MigrateType t : NON_MOVABLE) {
                int ia = after.types().indexOf(t);
                int ic = compacted.types().indexOf(t);
                if (ia < 0 || ic < 0) {
                    continue;
                }
                long gained = Math.max(0, zc.pageblocks()[ic] - za.pageblocks()[ia]);
                long taken = pages(za.freeBlocks()[ia]) - pages(zc.freeBlocks()[ic]) + pbn * gained;
                v[t.ordinal()] = new TypeWindow(Math.max(0, taken), gained, pages(zc.freeBlocks()[ic]), zc.pageblocks()[ic],
                        za.freeBlocks()[ia].clone());
            }
            m.put(za.zone(), v);
        }
        return m;
    }

    /**
     * The pages the twin's t requests take ({@code k}: the kernel's t lists, {@link #nonMovableTaken};
     * {@code startedAsKernel}: the twin's t lists were the kernel's {@code after} ones when the window began):
     * <ul>
     *   <li>where the kernel's t claimed pageblocks, what brings the twin's t lists to the kernel's end, claiming as
     *       many pageblocks as the twin's t still lacks: {@code free_t(twin) − free_t(kernel compacted) +
     *       pageblock_nr_pages × max(0, blocks_t(kernel compacted) − blocks_t(twin))} (a twin that already claimed
     *       such a block during the trace, as the policy replay may, has its pages on t's lists already);</li>
     *   <li>otherwise the kernel's count, where the twin's t lists began the window as the kernel's
     *       ({@code pagetypeinfo.after.txt}, block for block per order) and still hold that many; else none. The
     *       refill takes the smallest blocks of t, which are then the kernel's; where the twin's t lists differ (no
     *       kpageflags: the start state infers which free blocks sit on which type's lists; or a replay that did not
     *       land on the kernel's state) it would take other blocks than the kernel's requests took, or claim a block
     *       the kernel never claimed, so those pages are left to the movable refill after compaction
     *       ({@link #reconcile}).</li>
     * </ul>
     */
    private static long nonMovableTake(Zone z, MigrateType t, TypeWindow k, boolean startedAsKernel, int pbo, int maxOrder) {
        long free = 0;
        for (int o = 0; o <= maxOrder; o++) {
            free += z.freeBlocks(o, t) << o;
        }
        if (k.gained() > 0) {
            return Math.max(0, free - k.freeCompacted() + (Math.max(0, k.blocksCompacted() - z.pageblocks(t)) << pbo));
        }
        return startedAsKernel && free >= k.taken() ? k.taken() : 0;
    }

    /**
     * One type's lists of one zone in the kernel over the window.
     *
     * @param taken           the pages its requests took from the buddy lists
     * @param gained          the pageblocks it claimed
     * @param freeCompacted   its free pages at {@code compacted}
     * @param blocksCompacted its pageblocks at {@code compacted}
     * @param freeAfter       its free blocks per order at {@code after}
     */
    record TypeWindow(long taken, long gained, long freeCompacted, long blocksCompacted, long[] freeAfter) {
    }

    /** Notes, per zone and non-movable type, whether the twin's free lists are the kernel's {@code after} ones. */
    private void noteStart(PageAllocator a) {
        for (Zone z : a.zones()) {
            TypeWindow[] kernel = nonMovable.get(z.type());
            if (kernel == null || !z.populated()) {
                continue;
            }
            boolean[] same = new boolean[MigrateType.PCPTYPES];
            for (MigrateType t : NON_MOVABLE) {
                TypeWindow k = kernel[t.ordinal()];
                boolean eq = k != null;
                for (int o = 0; eq && o <= a.maxOrder(); o++) {
                    eq = z.freeBlocks(o, t) == (o < k.freeAfter().length ? k.freeAfter()[o] : 0);
                }
                same[t.ordinal()] = eq;
            }
            startedAsKernel.put(z.type(), same);
        }
    }

    private static long pages(long[] perOrder) {
        long n = 0;
        for (int o = 0; o < perOrder.length; o++) {
            n += perOrder[o] << o;
        }
        return n;
    }

    private static Pagetypeinfo pagetypeinfo(Bundle b, String name) {
        try (BufferedReader r = b.reader(name)) {
            return PagetypeinfoParser.parse(r, b.source(name));
        } catch (IOException e) {
            throw new InputException(new InputProblem(b.source(name), 0, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    private static long delta(Bundle b, Map<String, Long> va, Map<String, Long> vc, String key) {
        Long x = va.get(key);
        Long y = vc.get(key);
        if (x == null || y == null) {
            throw new InputException(new InputProblem(b.source(x == null ? "vmstat.after.txt" : "vmstat.compacted.txt"), 0, 0,
                    key, "missing: the untraced window before compact_memory needs it (or remove the file to skip that step)"));
        }
        return y - x;
    }

    /** {@code /proc/vmstat} of the bundle ({@link VmstatParser}). */
    static Map<String, Long> vmstat(Bundle b, String name) {
        try (BufferedReader r = b.reader(name)) {
            return VmstatParser.parse(r, b.source(name));
        } catch (IOException e) {
            throw new InputException(new InputProblem(b.source(name), 0, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    private static Map<ZoneType, long[]> pcpCounts(Bundle b, String name, int cpus) {
        Zoneinfo zi;
        try (BufferedReader r = b.reader(name)) {
            zi = ZoneinfoParser.parse(r, b.source(name));
        } catch (IOException e) {
            throw new InputException(new InputProblem(b.source(name), 0, 0, "", "cannot read: " + e.getMessage()));
        }
        Map<ZoneType, long[]> m = new LinkedHashMap<>();
        for (Zoneinfo.ZoneEntry z : zi.zones()) {
            if (z.node() != 0) {
                continue;
            }
            if (z.pagesets().isEmpty()) {
                continue; // no pagesets printed: leave that zone's lists alone
            }
            long[] c = new long[cpus];
            for (Zoneinfo.Pageset p : z.pagesets()) {
                if (p.cpu() >= 0 && p.cpu() < cpus && p.count() >= 0) {
                    c[p.cpu()] = p.count();
                }
            }
            m.put(z.zone(), c);
        }
        return m;
    }
}
