package io.kmemsim.engine.bootlog;

import java.util.ArrayList;
import java.util.List;

/**
 * A minimal memblock: the RAM ranges minus what is reserved, and top-down allocation below a limit as
 * {@code memblock_find_in_range_node()} does by default (6.1 {@code mm/memblock.c}; both arm64 and x86_64
 * allocate top-down). Byte addresses, ends exclusive. Only the zone each allocation lands in matters to
 * the twin, so alignment beyond the one asked for is not modelled.
 */
final class Memblock {

    private final List<long[]> free = new ArrayList<>();

    Memblock(List<long[]> ram) {
        for (long[] r : ram) {
            free.add(new long[] {r[0], r[1]});
        }
        free.sort((x, y) -> Long.compare(x[0], y[0]));
    }

    /** Removes {@code [base, base + size)} from the free ranges (parts outside RAM are ignored). */
    void reserve(long base, long size) {
        long end = base + size;
        List<long[]> out = new ArrayList<>();
        for (long[] f : free) {
            if (f[1] <= base || f[0] >= end) {
                out.add(f);
                continue;
            }
            if (f[0] < base) {
                out.add(new long[] {f[0], base});
            }
            if (f[1] > end) {
                out.add(new long[] {end, f[1]});
            }
        }
        free.clear();
        free.addAll(out);
    }

    /**
     * The highest {@code align}-aligned base of a free range of {@code size} bytes ending at or below
     * {@code limit}, reserved on return.
     *
     * @throws IllegalStateException when nothing fits
     */
    long allocTopDown(long size, long align, long limit) {
        for (int i = free.size() - 1; i >= 0; i--) {
            long[] f = free.get(i);
            long top = Math.min(f[1], limit);
            long base = (top - size) & -align;
            if (top - size >= f[0] && base >= f[0]) {
                reserve(base, size);
                return base;
            }
        }
        throw new IllegalStateException("no room for " + size + " bytes below 0x" + Long.toHexString(limit));
    }
}
