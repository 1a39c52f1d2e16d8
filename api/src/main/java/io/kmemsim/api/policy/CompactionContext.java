package io.kmemsim.api.policy;

import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.Zone;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The page allocator's side of compaction: the zones, what lies at each PFN, and the operations a
 * {@link CompactionPolicy} may ask for — isolating free blocks (the free scanner's targets), migrating
 * a live movable block into isolated memory, and giving isolated memory back. The policy owns the
 * scanners, their cached positions, the pageblock skip bits and the deferral state; the allocator does
 * the list work. Valid only during the policy call.
 *
 * <p>Page states returned by {@link #pageState(long)} pack the kind in the low byte and the block
 * order in the next byte:
 * <pre>
 *   bits 0-7   kind: HOLE (no page, or outside every zone), FREE (head of a buddy free block),
 *              FREE_TAIL, ALLOCATED (head of a live block), ALLOCATED_TAIL, PCP (on a per-CPU list)
 *   bits 8-15  order of the block (heads only)
 *   bit  16    movable (ALLOCATED heads: allocated as MOVABLE and not pinned)
 * </pre>
 *
 * <p>Isolated memory belongs to the policy until it is migrated into or released: it is on no free
 * list and not counted free, as in the kernel.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface CompactionContext {

    int HOLE = 0;
    int FREE = 1;
    int FREE_TAIL = 2;
    int ALLOCATED = 3;
    int ALLOCATED_TAIL = 4;
    int PCP = 5;
    int MOVABLE_BIT = 1 << 16;

    /** The scenario's kernel version. */
    KernelVersion kernel();

    /** The kernel configuration (configured zones, CMA). */
    KernelConfig kernelConfig();

    /** The zones of the node, in the kernel's order (their positions are the zone indices). */
    List<? extends Zone> zones();

    /** {@code pageblock_order}. */
    int pageblockOrder();

    /** The largest order kept (inclusive). */
    int maxOrder();

    /** The packed state of the page at {@code pfn} (see the class notes). */
    int pageState(long pfn);

    /** The kind part of a packed state. */
    static int kind(int state) {
        return state & 0xff;
    }

    /** The order part of a packed state. */
    static int order(int state) {
        return (state >>> 8) & 0xff;
    }

    /** True when the packed state is a movable allocated head. */
    static boolean movable(int state) {
        return (state & MOVABLE_BIT) != 0;
    }

    /** The migrate type of the pageblock containing {@code pfn}. */
    MigrateType pageblockType(long pfn);

    /**
     * {@code __zone_watermark_ok(zone, order, mark, highestZoneIndex, flags)} with the allocation flags
     * compaction uses: {@code ALLOC_CMA} when {@code allowCma}, nothing else.
     */
    boolean watermarkOk(Zone zone, int order, long markPages, int highestZoneIndex, boolean allowCma);

    /**
     * Isolates the free block whose head is {@code pfn} ({@code __isolate_free_page}): checks the
     * order-0 watermark {@code min + 2^order} (unboosted, zone index 0, ALLOC_CMA), removes the block from
     * its free list and, for blocks of order {@code >= pageblockOrder() - 1}, re-types the pageblocks it
     * covers to MOVABLE as the version does.
     *
     * @return the isolated block's order, or −1 when {@code pfn} is not a free head or the watermark
     *         check refused
     */
    int isolateFreeBlock(long pfn);

    /** Returns isolated memory — the aligned block of {@code 2^order} pages at {@code pfn} — to the free lists (merging). */
    void releaseFreeBlock(long pfn, int order);

    /**
     * Frees isolated memory — the aligned block of {@code 2^order} pages at {@code pfn} — through the allocator's
     * ordinary free path, as compaction gives back the targets it did not use (mm/compaction.c:
     * release_freepages() (6.1) frees each with {@code __free_page}: to the current CPU's per-CPU list for pcp
     * orders, counted in {@code pgfree}). The default returns it straight to the free lists
     * ({@link #releaseFreeBlock}) for contexts without per-CPU lists.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default void freeIsolated(long pfn, int order) {
        releaseFreeBlock(pfn, order);
    }

    /**
     * Migrates the live movable block whose head is {@code srcPfn} into isolated memory at
     * {@code dstPfn} (aligned, at least as large): the destination becomes the live block with the
     * source's attributes, the source is freed through the normal free path, the handle follows
     * ({@link io.kmemsim.api.mm.MigrationListener}), the copy is charged, and {@code pgmigrate_success}
     * counted.
     *
     * @return false, counting {@code pgmigrate_fail}, when the source is not a movable allocated head
     */
    boolean migrate(long srcPfn, long dstPfn);

    /** Returns every page on the per-CPU lists to the buddy lists (so freed pages can merge). */
    void drainPerCpuLists();

    /**
     * Adds {@code delta} to the vmstat counter {@code name} (e.g. {@code compact_migrate_scanned}; also
     * {@code pgmigrate_fail} for a page whose migration found no target).
     */
    void count(String name, long delta);

    /**
     * The CPU of the task compaction runs for: the allocating CPU during direct compaction, the writer's during
     * {@code compact_memory} (6.1 runs both in that task's context, so its tracepoints print that CPU). The default
     * is CPU 0 for contexts that do not know it.
     */
    default int cpu() {
        return 0;
    }
}
