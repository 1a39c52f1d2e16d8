package io.kmemsim.api.support.slab;

import io.kmemsim.api.arch.VirtualLayout;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * The map from PFN to slab ({@code virt_to_slab} / {@code virt_to_head_page}, 6.1) of a simulated slab
 * allocator, and the linear-map addresses its objects are named by.
 *
 * <p>Notes:
 * <ul>
 *   <li>Values: 0 = nothing, {@code id + 1} for every page of slab {@code id}, {@code -(order + 1)} for the
 *       head page of a large kmalloc of that order.</li>
 *   <li>A directory of 64 Ki-PFN chunks, each made on first use; lookups do not allocate.</li>
 * </ul>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SlabPageMap {

    /** What {@link #slabOf} returns for the head page of a large kmalloc. */
    public static final int LARGE = -1;

    private static final int CHUNK_SHIFT = 16;
    private static final int CHUNK_MASK = (1 << CHUNK_SHIFT) - 1;

    private final long linearBase;
    private final int pageShift;
    private final String allocator;
    private int[][] dir = new int[16][];

    /**
     * @param layout    the architecture's linear map
     * @param pageShift {@code PAGE_SHIFT}
     * @param allocator the allocator's name in messages ({@code slab}, {@code slub})
     */
    public SlabPageMap(VirtualLayout layout, int pageShift, String allocator) {
        this.linearBase = layout.pageOffset();
        this.pageShift = pageShift;
        this.allocator = allocator;
    }

    /** {@code PAGE_OFFSET}. */
    public long linearBase() {
        return linearBase;
    }

    /** {@code PAGE_SHIFT}. */
    public int pageShift() {
        return pageShift;
    }

    /** The linear-map address of page {@code pfn}. */
    public long address(long pfn) {
        return linearBase + (pfn << pageShift);
    }

    /** The map value at {@code pfn} (0 when nothing is there). */
    public int lookup(long pfn) {
        long chunk = pfn >>> CHUNK_SHIFT;
        int[][] d = dir;
        if (chunk >= d.length) {
            return 0;
        }
        int[] c = d[(int) chunk];
        return c == null ? 0 : c[(int) (pfn & CHUNK_MASK)];
    }

    /**
     * The slab id holding {@code address}, or {@link #LARGE} for the head page of a large kmalloc.
     *
     * @throws IllegalArgumentException when nothing of this allocator is there
     */
    public int slabOf(long address, String op) {
        long rel = address - linearBase;
        int v = rel < 0 ? 0 : lookup(rel >>> pageShift);
        if (v == 0) {
            throw new IllegalArgumentException(op + ": address was not allocated by " + allocator + ": 0x"
                    + Long.toHexString(address));
        }
        return v > 0 ? v - 1 : LARGE;
    }

    /** Maps the {@code 2^order} pages from {@code pfn} to slab {@code id}. */
    public void mapSlab(long pfn, int order, int id) {
        map(pfn, 1L << order, id + 1);
    }

    /** Clears the {@code 2^order} pages from {@code pfn}. */
    public void unmapSlab(long pfn, int order) {
        map(pfn, 1L << order, 0);
    }

    /** Marks {@code pfn} as the head of a large kmalloc of {@code order}. */
    void mapLarge(long pfn, int order) {
        map(pfn, 1, -(order + 1));
    }

    /** The order of the large kmalloc whose head page is {@code pfn}, or −1 when there is none. */
    int largeOrder(long pfn) {
        int v = lookup(pfn);
        return v < 0 ? -v - 1 : -1;
    }

    /** Sets the map for {@code pages} pages from {@code pfn}. */
    public void map(long pfn, long pages, int value) {
        for (long q = pfn; q < pfn + pages; q++) {
            long chunk = q >>> CHUNK_SHIFT;
            if (chunk >= Integer.MAX_VALUE) {
                throw new IllegalArgumentException("pfn too large for the slab map: " + q);
            }
            if (chunk >= dir.length) {
                dir = Arrays.copyOf(dir, (int) Math.max(chunk + 1, dir.length * 2L));
            }
            int[] c = dir[(int) chunk];
            if (c == null) {
                c = new int[1 << CHUNK_SHIFT];
                dir[(int) chunk] = c;
            }
            c[(int) (q & CHUNK_MASK)] = value;
        }
    }
}
