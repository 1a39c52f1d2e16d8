package io.kmemsim.engine.twin;

import io.kmemsim.engine.trace.TraceRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The slab object events of a trace ({@code kmem_cache_alloc}, {@code kmem_cache_free}, {@code kmalloc},
 * {@code kfree}) as parallel primitive arrays; cache names are interned as small ints ({@code -1}: the
 * event printed none).
 *
 * <p>{@code name=}: {@code kmem_cache_free} prints it from 5.12 ("mm, tracing: record slab name for
 * kmem_cache_free()"); {@code kmem_cache_alloc} does not print it in 6.1 ({@code include/trace/events/kmem.h},
 * 6.1: {@code call_site ptr bytes_req bytes_alloc gfp_flags node accounted}), nor does any event before 5.12.
 */
final class SlabEvents {

    static final byte CACHE_ALLOC = 0;
    static final byte CACHE_FREE = 1;
    static final byte KMALLOC = 2;
    static final byte KFREE = 3;

    int size;
    byte[] type = new byte[1 << 10];
    short[] cpu = new short[1 << 10];
    int[] gfp = new int[1 << 10];
    int[] name = new int[1 << 10];
    long[] ptr = new long[1 << 10];
    long[] bytesReq = new long[1 << 10];
    long[] bytesAlloc = new long[1 << 10];
    /** {@link TraceRecord#callSite()} (0: none printed). */
    long[] callSite = new long[1 << 10];
    /** {@code accounted=} of allocations (5.19+): 1 true, 0 false, −1 not printed. */
    byte[] accounted = new byte[1 << 10];
    /** Timestamps of the first and last slab event (ns). */
    long firstNanos;
    long lastNanos;
    final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIds = new HashMap<>();

    void accept(TraceRecord r) {
        byte t = switch (r.type()) {
            case KMEM_CACHE_ALLOC -> CACHE_ALLOC;
            case KMEM_CACHE_FREE -> CACHE_FREE;
            case KMALLOC -> KMALLOC;
            case KFREE -> KFREE;
            default -> -1;
        };
        if (t < 0) {
            return;
        }
        if (size == type.length) {
            int n = size * 2;
            type = Arrays.copyOf(type, n);
            cpu = Arrays.copyOf(cpu, n);
            gfp = Arrays.copyOf(gfp, n);
            name = Arrays.copyOf(name, n);
            ptr = Arrays.copyOf(ptr, n);
            bytesReq = Arrays.copyOf(bytesReq, n);
            bytesAlloc = Arrays.copyOf(bytesAlloc, n);
            callSite = Arrays.copyOf(callSite, n);
            accounted = Arrays.copyOf(accounted, n);
        }
        if (size == 0) {
            firstNanos = r.timeNanos();
        }
        lastNanos = r.timeNanos();
        type[size] = t;
        cpu[size] = (short) r.cpu();
        gfp[size] = t == CACHE_ALLOC || t == KMALLOC ? r.gfp() : 0;
        ptr[size] = r.ptr();
        bytesReq[size] = t == CACHE_ALLOC || t == KMALLOC ? r.bytesReq() : 0;
        bytesAlloc[size] = t == CACHE_ALLOC || t == KMALLOC ? r.bytesAlloc() : 0;
        callSite[size] = r.callSite();
        accounted[size] = (byte) (t == CACHE_ALLOC || t == KMALLOC ? r.accounted() : -1);
        String n = r.cacheName();
        name[size] = n == null ? -1 : nameIds.computeIfAbsent(n, k -> {
            names.add(k);
            return names.size() - 1;
        });
        size++;
    }

    /** The id of {@code n}, interning it. */
    int id(String n) {
        return nameIds.computeIfAbsent(n, k -> {
            names.add(k);
            return names.size() - 1;
        });
    }
}
