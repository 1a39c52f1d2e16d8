package io.kmemsim.engine.util;

import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * A sparse table of one small value (0–127) per PFN, 0 for a PFN never set: the {@code trace} workload's live
 * page blocks (order + 1 per PFN). PFNs below 2^36 are kept in chunks of 2^16 bytes (64 KiB for 256 MiB of
 * 4 KiB pages), allocated when a value is first set in them, and indexed directly: a lookup is two array loads,
 * no hashing, and PFNs that are close share cache lines. Other PFNs (and negative ones) go to a hash map.
 * Not thread-safe.
 */
public final class PfnBytes {

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK_MASK = (1 << CHUNK_BITS) - 1;
    /** Chunks at most: PFNs below 2^36 (256 TiB of 4 KiB pages) are direct. */
    private static final long MAX_CHUNKS = 1L << 20;

    private byte[][] chunks = new byte[64][];
    /** PFNs outside the direct chunks; null until one is set. */
    private Long2LongOpenHashMap far;

    /** The value of {@code pfn}, 0 when none was set. */
    public int get(long pfn) {
        long c = pfn >>> CHUNK_BITS;
        byte[][] cs = chunks;
        if (c < cs.length) {
            byte[] chunk = cs[(int) c];
            return chunk == null ? 0 : chunk[(int) pfn & CHUNK_MASK];
        }
        return far == null || c < MAX_CHUNKS ? 0 : (int) far.get(pfn);
    }

    /**
     * Sets the value of {@code pfn} and returns the value it had (0: none): one lookup where {@link #get} then
     * {@link #set} take two. Setting 0 where nothing was set allocates nothing.
     */
    public int swap(long pfn, int value) {
        long c = pfn >>> CHUNK_BITS;
        byte[][] cs = chunks;
        if (c < cs.length && value >= 0 && value <= Byte.MAX_VALUE) {
            byte[] chunk = cs[(int) c];
            if (chunk != null) {
                int i = (int) pfn & CHUNK_MASK;
                int old = chunk[i];
                chunk[i] = (byte) value;
                return old;
            }
        }
        int old = get(pfn);
        if (old != value) {
            set(pfn, value);
        }
        return old;
    }

    /** Sets the value of {@code pfn} (0 forgets it). */
    public void set(long pfn, int value) {
        if (value < 0 || value > Byte.MAX_VALUE) {
            throw new IllegalArgumentException("value must be in [0, 127]: " + value);
        }
        long c = pfn >>> CHUNK_BITS;
        if (c >= MAX_CHUNKS) {
            if (value != 0) {
                if (far == null) {
                    far = LongMaps.create(64, 0);
                }
                far.put(pfn, value);
            } else if (far != null) {
                far.remove(pfn);
            }
            return;
        }
        if (c >= chunks.length) {
            if (value == 0) {
                return;
            }
            chunks = java.util.Arrays.copyOf(chunks, (int) Math.min(MAX_CHUNKS, Long.highestOneBit(c) << 1));
        }
        byte[] chunk = chunks[(int) c];
        if (chunk == null) {
            if (value == 0) {
                return;
            }
            chunk = new byte[1 << CHUNK_BITS];
            chunks[(int) c] = chunk;
        }
        chunk[(int) pfn & CHUNK_MASK] = (byte) value;
    }
}
