package io.kmemsim.engine.trace;

/**
 * The kernel tracepoints kmemsim reads, with their names as ftrace prints them: the {@code kmem} page
 * and slab events (replayed), and the {@code vmscan} and {@code compaction} events (parsed, range
 * checked and counted; the replay does not act on them). Older names are read as the event they became:
 * {@code mm_page_free_direct} (2.6.33–3.2, include/trace/events/kmem.h) as {@code mm_page_free},
 * {@code mm_pagevec_free} (2.6.33–3.2) as {@code mm_page_free_batched}, the {@code _node} slab variants of
 * ≤ 6.0 as their plain counterparts, {@code mm_vmscan_writepage} (≤ 5.19) as {@code mm_vmscan_write_folio}.
 *
 * <p>New constants are only ever added at the end: the ordinal is the binary format's record type.
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
    KMEM_CACHE_FREE("kmem_cache_free"),
    // vmscan (include/trace/events/vmscan.h)
    MM_VMSCAN_KSWAPD_SLEEP("mm_vmscan_kswapd_sleep"),
    MM_VMSCAN_KSWAPD_WAKE("mm_vmscan_kswapd_wake"),
    MM_VMSCAN_WAKEUP_KSWAPD("mm_vmscan_wakeup_kswapd"),
    MM_VMSCAN_DIRECT_RECLAIM_BEGIN("mm_vmscan_direct_reclaim_begin"),
    MM_VMSCAN_DIRECT_RECLAIM_END("mm_vmscan_direct_reclaim_end"),
    MM_VMSCAN_MEMCG_RECLAIM_BEGIN("mm_vmscan_memcg_reclaim_begin"),
    MM_VMSCAN_MEMCG_RECLAIM_END("mm_vmscan_memcg_reclaim_end"),
    MM_VMSCAN_MEMCG_SOFTLIMIT_RECLAIM_BEGIN("mm_vmscan_memcg_softlimit_reclaim_begin"),
    MM_VMSCAN_MEMCG_SOFTLIMIT_RECLAIM_END("mm_vmscan_memcg_softlimit_reclaim_end"),
    MM_SHRINK_SLAB_START("mm_shrink_slab_start"),
    MM_SHRINK_SLAB_END("mm_shrink_slab_end"),
    MM_VMSCAN_LRU_ISOLATE("mm_vmscan_lru_isolate"),
    MM_VMSCAN_WRITE_FOLIO("mm_vmscan_write_folio"),
    MM_VMSCAN_LRU_SHRINK_INACTIVE("mm_vmscan_lru_shrink_inactive"),
    MM_VMSCAN_LRU_SHRINK_ACTIVE("mm_vmscan_lru_shrink_active"),
    MM_VMSCAN_NODE_RECLAIM_BEGIN("mm_vmscan_node_reclaim_begin"),
    MM_VMSCAN_NODE_RECLAIM_END("mm_vmscan_node_reclaim_end"),
    MM_VMSCAN_THROTTLED("mm_vmscan_throttled"),
    MM_VMSCAN_MEMCG_ISOLATE("mm_vmscan_memcg_isolate"),
    // compaction (include/trace/events/compaction.h)
    MM_COMPACTION_ISOLATE_MIGRATEPAGES("mm_compaction_isolate_migratepages"),
    MM_COMPACTION_ISOLATE_FREEPAGES("mm_compaction_isolate_freepages"),
    MM_COMPACTION_FAST_ISOLATE_FREEPAGES("mm_compaction_fast_isolate_freepages"),
    MM_COMPACTION_MIGRATEPAGES("mm_compaction_migratepages"),
    MM_COMPACTION_BEGIN("mm_compaction_begin"),
    MM_COMPACTION_END("mm_compaction_end"),
    MM_COMPACTION_TRY_TO_COMPACT_PAGES("mm_compaction_try_to_compact_pages"),
    MM_COMPACTION_FINISHED("mm_compaction_finished"),
    MM_COMPACTION_SUITABLE("mm_compaction_suitable"),
    MM_COMPACTION_DEFERRED("mm_compaction_deferred"),
    MM_COMPACTION_DEFER_COMPACTION("mm_compaction_defer_compaction"),
    MM_COMPACTION_DEFER_RESET("mm_compaction_defer_reset"),
    MM_COMPACTION_KCOMPACTD_SLEEP("mm_compaction_kcompactd_sleep"),
    MM_COMPACTION_WAKEUP_KCOMPACTD("mm_compaction_wakeup_kcompactd"),
    MM_COMPACTION_KCOMPACTD_WAKE("mm_compaction_kcompactd_wake");

    private static final TraceEventType[] VALUES = values();

    /** Names → types, probed with a region of bytes (no String per lookup); aliases included. */
    private static final String[] TABLE_KEYS = new String[256];
    private static final byte[][] TABLE_BYTES = new byte[256][];
    private static final TraceEventType[] TABLE_VALUES = new TraceEventType[256];

    /** The {@code kmem} type whose name has a given length (the first, where two share one), tried before the table. */
    private static final TraceEventType[] KMEM_BY_LENGTH = new TraceEventType[32];
    private static final byte[][] KMEM_BY_LENGTH_BYTES = new byte[32][];

    static {
        for (TraceEventType t : VALUES) {
            put(t.kernelName, t);
            int len = t.kernelName.length();
            if (t.isKmem() && KMEM_BY_LENGTH[len] == null) {
                KMEM_BY_LENGTH[len] = t;
                KMEM_BY_LENGTH_BYTES[len] = t.kernelName.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        }
        put("mm_page_free_direct", MM_PAGE_FREE);
        put("mm_pagevec_free", MM_PAGE_FREE_BATCHED);
        put("kmalloc_node", KMALLOC);
        put("kmem_cache_alloc_node", KMEM_CACHE_ALLOC);
        put("mm_vmscan_writepage", MM_VMSCAN_WRITE_FOLIO);
    }

    private final String kernelName;

    TraceEventType(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The tracepoint name, e.g. {@code mm_page_alloc}. */
    public String kernelName() {
        return kernelName;
    }

    /** The tracepoint system: {@code kmem}, {@code vmscan} or {@code compaction}. */
    public String system() {
        if (ordinal() <= KMEM_CACHE_FREE.ordinal()) {
            return "kmem";
        }
        return ordinal() < MM_COMPACTION_ISOLATE_MIGRATEPAGES.ordinal() ? "vmscan" : "compaction";
    }

    /** Whether this is one of the {@code kmem} events the replay acts on (the binary format holds only these). */
    public boolean isKmem() {
        return ordinal() <= KMEM_CACHE_FREE.ordinal();
    }

    /** The type with ordinal {@code code} (the binary format's record type). */
    static TraceEventType ofCode(int code) {
        return code >= 0 && code <= KMEM_CACHE_FREE.ordinal() ? VALUES[code] : null;
    }

    private static void put(String name, TraceEventType t) {
        int slot = hash(name, 0, name.length());
        while (TABLE_KEYS[slot] != null) {
            slot = (slot + 1) & (TABLE_KEYS.length - 1);
        }
        TABLE_KEYS[slot] = name;
        TABLE_BYTES[slot] = name.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        TABLE_VALUES[slot] = t;
    }

    private static int hash(CharSequence s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return (h ^ (h >>> 7)) & (TABLE_KEYS.length - 1);
    }

    /**
     * The type named by {@code b[from, to)} (with a {@code kmem:}, {@code vmscan:} or {@code compaction:}
     * prefix of perf allowed), or null for an event kmemsim does not read.
     */
    static TraceEventType ofName(byte[] b, int from, int to) {
        int len = to - from;
        if (len < KMEM_BY_LENGTH.length) { // the replayed events, by length and bytes: no hash
            byte[] k = KMEM_BY_LENGTH_BYTES[len];
            if (k != null && sameBytes(b, from, k)) {
                return KMEM_BY_LENGTH[len];
            }
        }
        return lookUp(b, from, to);
    }

    /** Whether {@code b[from, from + k.length)} is {@code k}, compared from the end (the names share their starts). */
    private static boolean sameBytes(byte[] b, int from, byte[] k) {
        for (int j = k.length - 1; j >= 0; j--) {
            if (b[from + j] != k[j]) {
                return false;
            }
        }
        return true;
    }

    private static TraceEventType lookUp(byte[] b, int from, int to) {
        int colon = -1;
        for (int i = from; i < to; i++) {
            if (b[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon >= 0) {
            from = colon + 1;
        }
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + b[i];
        }
        int mask = TABLE_KEYS.length - 1;
        for (int slot = (h ^ (h >>> 7)) & mask; ; slot = (slot + 1) & mask) {
            byte[] k = TABLE_BYTES[slot];
            if (k == null) {
                return null;
            }
            if (k.length == to - from && java.util.Arrays.equals(b, from, to, k, 0, k.length)) {
                return TABLE_VALUES[slot];
            }
        }
    }

    /** {@link #ofName(byte[], int, int)} for text (tests and callers holding a String). */
    static TraceEventType ofName(CharSequence s, int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = from; i < to; i++) {
            b[i - from] = (byte) s.charAt(i);
        }
        return ofName(b, 0, b.length);
    }

}
