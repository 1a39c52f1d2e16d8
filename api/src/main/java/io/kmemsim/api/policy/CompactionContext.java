package io.kmemsim.api.policy;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.Zone;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The page allocator's side of compaction: the zones, what lies at each PFN, and the operations a
 * {@link CompactionPolicy} may ask for. Valid only during the policy call.
 *
 * <p>Page states returned by {@link #pageState(long)} pack the kind in the low byte and the block
 * order in the next byte:
 * <pre>
 *   bits 0-7   kind: HOLE, FREE (head of a free block), FREE_TAIL, ALLOCATED (head of a live block),
 *              ALLOCATED_TAIL
 *   bits 8-15  order of the block (heads only)
 *   bit  16    movable (ALLOCATED heads: allocated as MOVABLE and not pinned)
 * </pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface CompactionContext {

    int HOLE = 0;
    int FREE = 1;
    int FREE_TAIL = 2;
    int ALLOCATED = 3;
    int ALLOCATED_TAIL = 4;
    int MOVABLE_BIT = 1 << 16;

    /** The scenario's kernel version. */
    KernelVersion kernel();

    /** The zones of the node, in the kernel's order. */
    List<? extends Zone> zones();

    /** {@code pageblock_order}. */
    int pageblockOrder();

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

    /**
     * Migrates the live movable block at {@code srcPfn} into the free block at {@code dstPfn} (split
     * from a free block as needed); the handle follows and the copy is charged.
     *
     * @return true on success; false when the block cannot move (pinned, not movable, target not free)
     */
    boolean migrate(long srcPfn, long dstPfn);

    /** Adds {@code delta} to the compaction counter {@code name} (e.g. {@code compact_migrate_scanned}). */
    void count(String name, long delta);
}
