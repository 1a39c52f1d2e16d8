package io.kmemsim.engine.trace;

/**
 * The kernel tracepoints kmemsim reads (system {@code kmem}; reference/page-allocator.md §2.6 and
 * slab.md §9), with their names as ftrace prints them. The {@code _node} variants of ≤ 6.0 are read as
 * their plain counterparts.
 */
public enum TraceEventType {
    MM_PAGE_ALLOC("mm_page_alloc"),
    MM_PAGE_FREE("mm_page_free"),
    MM_PAGE_FREE_BATCHED("mm_page_free_batched"),
    MM_PAGE_ALLOC_ZONE_LOCKED("mm_page_alloc_zone_locked"),
    MM_PAGE_PCPU_DRAIN("mm_page_pcpu_drain"),
    MM_PAGE_ALLOC_EXTFRAG("mm_page_alloc_extfrag"),
    KMALLOC("kmalloc"),
    KFREE("kfree"),
    KMEM_CACHE_ALLOC("kmem_cache_alloc"),
    KMEM_CACHE_FREE("kmem_cache_free");

    private static final TraceEventType[] VALUES = values();

    private final String kernelName;

    TraceEventType(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The tracepoint name, e.g. {@code mm_page_alloc}. */
    public String kernelName() {
        return kernelName;
    }

    /** The type with ordinal {@code code} (the binary format's record type). */
    static TraceEventType ofCode(int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }

    /**
     * The type named by {@code s[from, to)} (with a {@code kmem:} prefix or {@code _node} suffix
     * allowed), or null for an event kmemsim does not read.
     */
    static TraceEventType ofName(CharSequence s, int from, int to) {
        if (to - from > 5 && regionEquals(s, from, "kmem:")) {
            from += 5;
        }
        if (to - from > 5 && regionEquals(s, to - 5, "_node")) {
            to -= 5;
        }
        for (TraceEventType t : VALUES) {
            String n = t.kernelName;
            if (n.length() == to - from && regionEquals(s, from, n)) {
                return t;
            }
        }
        return null;
    }

    private static boolean regionEquals(CharSequence s, int from, String what) {
        if (from + what.length() > s.length()) {
            return false;
        }
        for (int i = 0; i < what.length(); i++) {
            if (s.charAt(from + i) != what.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
