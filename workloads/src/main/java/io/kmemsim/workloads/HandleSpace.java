package io.kmemsim.workloads;

/**
 * The handle namespace of one workload: hands out {@link LiveSet}s with distinct tags (so handles of
 * all sets, and of all parts of a {@code mix}, are distinct) and routes a failure report to the set
 * whose tag the handle carries.
 */
final class HandleSpace {

    private static final int MAX_TAGS = 1 << LiveSet.TAG_BITS;

    private final LiveSet[] sets = new LiveSet[MAX_TAGS];
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

    /** A new cache handle, unique within this workload. */
    long newCacheHandle() {
        return cacheHandles++;
    }

    /** Routes {@link io.kmemsim.api.workload.Workload#allocationFailed} to the set named by the handle's tag. */
    void failed(long handle) {
        int tag = (int) (handle >>> (LiveSet.SLOT_BITS + LiveSet.GEN_BITS));
        if (handle < 0 || tag >= count) {
            throw new IllegalArgumentException("allocationFailed: handle 0x" + Long.toHexString(handle)
                    + " was not handed out by this workload");
        }
        sets[tag].failed(handle);
    }
}
