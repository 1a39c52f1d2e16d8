package io.kmemsim.workloads;

/**
 * The handle namespace of one workload: hands out {@link LiveSet}s with distinct tags (so handles of
 * all sets, and of all parts of a {@code mix}, are distinct) and routes a failure report to the set
 * whose tag the handle carries.
 */
final class HandleSpace {

    private static final int MAX_TAGS = 1 << LiveSet.TAG_BITS;

    private final LiveSet[] sets = new LiveSet[MAX_TAGS];
    private final Owner[] owners = new Owner[MAX_TAGS];
    private int count;
    private int cacheHandles;

    /** A new set of page allocations ({@code aux} = order) or of objects. */
    LiveSet newSet(boolean pages) {
        if (count == MAX_TAGS) {
            throw new IllegalStateException("a workload may have at most " + MAX_TAGS + " live sets");
        }
        LiveSet set = new LiveSet(count, pages);
        sets[count++] = set;
        return set;
    }

    /**
     * Handles the host may report back for a source that keeps its own handles (page cache pages): the
     * source uses {@link #base(int)} of the returned tag plus its own index below {@code 2^56}.
     */
    interface Owner {
        void failed(long handle);

        void reclaimed(long handle, boolean oomKill);

        void evicted(long handle, long shadow);
    }

    /** Reserves a tag for {@code owner}'s handles. */
    int newOwnerTag(Owner owner) {
        LiveSet placeholder = newSet(false);
        int tag = count - 1;
        owners[tag] = owner;
        sets[tag] = placeholder;
        return tag;
    }

    /** The first handle of tag {@code tag}. */
    static long base(int tag) {
        return (long) tag << (LiveSet.SLOT_BITS + LiveSet.GEN_BITS);
    }

    private int tagOf(long handle, String what) {
        int tag = (int) (handle >>> (LiveSet.SLOT_BITS + LiveSet.GEN_BITS));
        if (handle < 0 || tag >= count) {
            throw new IllegalArgumentException(what + ": handle 0x" + Long.toHexString(handle)
                    + " was not handed out by this workload");
        }
        return tag;
    }

    /** Routes {@link io.kmemsim.api.workload.Workload#reclaimed} to the owner of the handle's tag (sets hold no LRU pages). */
    void reclaimed(long handle, boolean oomKill) {
        int tag = tagOf(handle, "reclaimed");
        if (owners[tag] == null) {
            throw new IllegalArgumentException("reclaimed: handle 0x" + Long.toHexString(handle)
                    + " is not a page cache or anonymous page of this workload");
        }
        owners[tag].reclaimed(handle, oomKill);
    }

    /** Routes {@link io.kmemsim.api.workload.Workload#evicted} to the owner of the handle's tag. */
    void evicted(long handle, long shadow) {
        int tag = tagOf(handle, "evicted");
        if (owners[tag] == null) {
            throw new IllegalArgumentException("evicted: handle 0x" + Long.toHexString(handle)
                    + " is not a page cache page of this workload");
        }
        owners[tag].evicted(handle, shadow);
    }

    /** A new cache handle, unique within this workload. */
    long newCacheHandle() {
        return cacheHandles++;
    }

    /** Routes {@link io.kmemsim.api.workload.Workload#allocationFailed} to the set named by the handle's tag. */
    void failed(long handle) {
        int tag = tagOf(handle, "allocationFailed");
        if (owners[tag] != null) {
            owners[tag].failed(handle);
            return;
        }
        sets[tag].failed(handle);
    }
}
