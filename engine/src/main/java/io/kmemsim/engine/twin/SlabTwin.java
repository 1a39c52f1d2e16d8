package io.kmemsim.engine.twin;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The slab half of the twin: the kernel's caches rebuilt from the bundle's slabinfo, and the trace's
 * {@code kmem_cache_alloc/free} and {@code kmalloc/kfree} replayed into them.
 *
 * <p>Rules (kernel 6.1, {@code include/trace/events/kmem.h}, {@code mm/slab_common.c: cache_show()}):
 * <ul>
 *   <li>Caches: every row of {@code slabinfo.before.txt} (else {@code slabinfo.boot.txt}) that the object
 *       cache did not create itself (the kmalloc caches) is created with the kernel's name, its object size
 *       and alignment and flags from {@code slab_caches.boot.tsv} when the bundle has it (else the slabinfo
 *       {@code objsize}, which is {@code s->size}), with merging off: slabinfo lists the kernel's caches after
 *       its own merging, so each row is one cache. A cache the trace names that the start lacks was created
 *       during the trace and is created empty from {@code slabinfo.after.txt} ({@link #createTraceCaches}). Each
 *       start cache is then filled with its {@code active_objs} as anonymous objects (live before the trace,
 *       address unknown), spread over the CPUs that use it ({@link #fillStart}).</li>
 *   <li>Which cache a {@code kmem_cache_alloc} goes to: {@link SlabCacheResolver} (the free of the same pointer,
 *       call site, slab page, size, slab geometry, {@code SLAB_ACCOUNT}).</li>
 *   <li>{@code kmalloc} asks the object cache for {@code bytes_req} with the event's gfp (the cache picks
 *       {@code kmalloc-cg-*} for {@code __GFP_ACCOUNT}, as {@code kmalloc_type()}).</li>
 *   <li>The first free of a pointer the trace did not allocate frees one anonymous start-state object of the
 *       named cache (for {@code kfree}, whose cache is unknown, nothing); a later free of a pointer the trace
 *       already saw, not allocated again by an event, was allocated without one ({@code kmem_cache_alloc_bulk()})
 *       and frees nothing. Each is counted by reason.</li>
 * </ul>
 * The object cache's pages come from its own accounting-only page allocator (see {@link Twin}), never from
 * the twin's buddy: the trace's {@code mm_page_alloc} events already hold every slab page.
 */
final class SlabTwin {

    /** One slabinfo row as read. */
    record Row(String name, long activeObjs, long numObjs, int objSize, int objPerSlab, int pagesPerSlab) {
    }


    private final ObjectCache cache;
    private final Map<String, Integer> ids = new HashMap<>();
    /** The slabinfo row each created cache came from (its geometry and start count), by name, in creation order. */
    private final Map<String, Row> geometry = new LinkedHashMap<>();
    private List<Row> startRows = List.of();
    /** Caches the object cache had before the start rows (its own kmalloc caches). */
    private final java.util.Set<String> existing = new java.util.HashSet<>();
    /** slab_caches.boot.tsv rows by name (empty without it). */
    private Map<String, Map<String, String>> tsvOf = Map.of();
    private final Map<String, ArrayDeque<Long>> anonymous = new HashMap<>();
    private final Map<String, Long> failures = new TreeMap<>();
    final Map<String, Long> replayedPerCache = new TreeMap<>();
    /** Per cache name, the trace's net objects as replayed (allocations − frees, pre-trace objects included). */
    final Map<String, Long> netObjects = new HashMap<>();
    final List<String> notes = new ArrayList<>();
    /** How each {@code kmem_cache_alloc}'s cache was found, by route. */
    final Map<String, Long> resolution = new TreeMap<>();
    long traced;
    long replayed;
    int createdCaches;
    /** How many of the interned names came from the trace itself (the rest were added for the start caches). */
    private int traceNames;

    SlabTwin(ObjectCache cache) {
        this.cache = cache;
    }

    Map<String, Long> failures() {
        return failures;
    }

    private void reason(String r) {
        failures.merge(r, 1L, Long::sum);
    }

    /** Creates the start caches from {@code rows} ({@code tsv}: name → columns of slab_caches.boot.tsv), empty. */
    void createStartCaches(List<Row> rows, Map<String, Map<String, String>> tsv) {
        tsvOf = tsv;
        startRows = List.copyOf(rows);
        for (CacheInfo ci : cache.slabinfo()) {
            existing.add(ci.name());
        }
        for (Row r : rows) {
            if (!existing.contains(r.name())) {
                createOne(r, tsv.get(r.name()));
            }
        }
    }

    /**
     * Fills each start cache with its {@code active_objs}, or with more where {@code preTraceFreed} (name → distinct
     * objects the trace frees without having allocated them) proves more objects existed when the trace began.
     *
     * <p>SLUB's slabinfo counts the free objects of per-CPU slabs as active ({@code mm/slub.c: get_slabinfo()}, 6.1,
     * subtracts only the free objects of node-partial slabs), so {@code active_objs} is live objects plus the free
     * slots of every CPU's current slab. Each CPU that allocates from the cache in the trace ({@code cacheOf}: the
     * resolved cache of each {@code kmem_cache_alloc}; {@code kmalloc} by its size class) therefore gets a slab of
     * its own first (one object), and the rest is filled on the first of them until the twin's count is the
     * snapshot's: without that, each such CPU opens a new slab at its first allocation where the kernel had free
     * slots, and the cache ends one slab per CPU above the kernel.
     */
    void fillStart(SlabEvents ev, int[] cacheOf, Map<String, Long> preTraceFreed, int cpus) {
        Map<String, java.util.BitSet> cpusOf = new HashMap<>();
        for (int i = 0; i < ev.size; i++) {
            String name = ev.type[i] == SlabEvents.KMALLOC ? kmallocName(ev.bytesAlloc[i], ev.gfp[i])
                    : ev.type[i] == SlabEvents.CACHE_ALLOC && cacheOf[i] >= 0 ? ev.names.get(cacheOf[i]) : null;
            if (name != null && ev.ptr[i] != 0) {
                cpusOf.computeIfAbsent(name, k -> new java.util.BitSet()).set(Math.floorMod(ev.cpu[i], cpus));
            }
        }
        long filled = 0;
        long raised = 0;
        int raisedCaches = 0;
        int spread = 0;
        for (Row r : startRows) {
            ArrayDeque<Long> q = new ArrayDeque<>();
            Integer id = ids.get(r.name());
            int gfp = kmallocGfp(r.name());
            boolean kmalloc = id == null && gfp >= 0 && existing.contains(r.name());
            if (id == null && !kmalloc) {
                continue;
            }
            long want = Math.max(r.activeObjs(), preTraceFreed.getOrDefault(r.name(), 0L));
            if (want > r.activeObjs()) {
                raised += want - r.activeObjs();
                raisedCaches++;
            }
            java.util.BitSet used = cpusOf.getOrDefault(r.name(), new java.util.BitSet());
            int main = Math.max(0, used.nextSetBit(0));
            long perSlab = Math.max(1, r.objPerSlab());
            // a slab of its own for each other CPU that allocates, while the snapshot has slabs to spare for them
            long slabs = (want + perSlab - 1) / perSlab;
            long own = 0;
            for (int c = used.nextSetBit(0); c >= 0 && own + 1 < slabs; c = used.nextSetBit(c + 1)) {
                if (c == main) {
                    continue;
                }
                long addr = id != null ? cache.alloc(id, Gfp.GFP_KERNEL, c) : cache.kmalloc(r.objSize(), gfp, c);
                if (addr == ObjectCache.NO_OBJECT) {
                    break;
                }
                q.push(addr);
                own++;
            }
            spread += own > 0 ? 1 : 0;
            // the rest on the main CPU: the other CPUs' slabs already count objperslab each, and the main CPU's own
            // last slab counts whole too, so it is left with free slots (as few live objects as keep the slab count),
            // but never fewer than the pre-trace objects the trace frees
            long rest = Math.max(0, want - own * perSlab);
            if (rest % perSlab == 0 && rest > 0) {
                rest = Math.max(rest - (perSlab - 1), preTraceFreed.getOrDefault(r.name(), 0L) - own);
            }
            for (long k = 0; k < rest; k++) {
                long addr = id != null ? cache.alloc(id, Gfp.GFP_KERNEL, main) : cache.kmalloc(r.objSize(), gfp, main);
                if (addr == ObjectCache.NO_OBJECT) {
                    break;
                }
                q.push(addr);
            }
            filled += q.size();
            anonymous.put(r.name(), q);
        }
        notes.add("slab: " + createdCaches + " caches created from the start slabinfo with the kernel's names, "
                + filled + " start-state objects placed (addresses unknown); in " + spread + " caches each other CPU that"
                + " allocates from it in the trace starts with a slab of its own");
        if (raised > 0) {
            notes.add("slab: " + raisedCaches + " caches started with " + raised + " more objects than the start slabinfo"
                    + " lists: the trace frees that many distinct objects it never allocated, so they existed when it began");
        }
    }

    /**
     * Creates the caches the trace names that no start row has, from {@code after} (slabinfo.after.txt) and
     * {@code afterTsv} (slab_caches.after.tsv, may be empty): {@code kmem_cache_create()} is no kmem trace event, so a
     * cache created during the trace shows only as a name the start snapshot lacks. A trace without names shows it as
     * a {@code kmem_cache_alloc} size no start cache has: the after rows of that size the start lacks are created.
     * Returns the names created.
     */
    List<String> createTraceCaches(SlabEvents ev, List<Row> start, List<Row> after, Map<String, Map<String, String>> afterTsv) {
        Map<String, Row> afterRows = new LinkedHashMap<>();
        after.forEach(r -> afterRows.put(r.name(), r));
        java.util.Set<String> known = new java.util.HashSet<>();
        start.forEach(r -> known.add(r.name()));
        cache.slabinfo().forEach(ci -> known.add(ci.name()));
        java.util.Set<Long> startSizes = new java.util.HashSet<>();
        start.forEach(r -> startSizes.add((long) r.objSize()));
        java.util.Set<String> wanted = new java.util.LinkedHashSet<>();
        java.util.Set<Long> newSizes = new java.util.HashSet<>();
        for (int i = 0; i < ev.size; i++) {
            if (ev.name[i] >= 0) {
                wanted.add(ev.names.get(ev.name[i]));
            } else if (ev.type[i] == SlabEvents.CACHE_ALLOC && ev.ptr[i] != 0 && !startSizes.contains(ev.bytesAlloc[i])) {
                newSizes.add(ev.bytesAlloc[i]);
            }
        }
        for (Row r : after) {
            if (!known.contains(r.name()) && newSizes.contains((long) r.objSize()) && kmallocGfp(r.name()) < 0) {
                wanted.add(r.name());
            }
        }
        List<String> created = new ArrayList<>();
        for (String name : wanted) {
            if (known.contains(name) || ids.containsKey(name)) {
                continue;
            }
            Row r = afterRows.get(name);
            if (r == null) {
                notes.add("slab: cache " + name + " is named by the trace but is in neither slabinfo (created and destroyed"
                        + " during the trace?): its objects are not replayed");
                continue;
            }
            Row empty = new Row(r.name(), 0, 0, r.objSize(), r.objPerSlab(), r.pagesPerSlab());
            if (createOne(empty, afterTsv.get(name))) {
                anonymous.put(name, new ArrayDeque<>());
                created.add(name);
                CacheInfo ci = cache.slabinfo().stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
                String geometry = ci == null ? "?" : ci.objSize() + "/" + ci.objPerSlab() + "/" + ci.pagesPerSlab();
                notes.add("slab: cache " + name + " is not in the start slabinfo (created during the trace: kmem_cache_create"
                        + " is not traced); created empty from slabinfo.after's objsize " + r.objSize() + ", objperslab "
                        + r.objPerSlab() + ", pagesperslab " + r.pagesPerSlab() + " (the twin's: " + geometry + ")");
            }
        }
        return created;
    }

    /** Creates one cache from its slabinfo row and tsv columns ({@code t} may be null); false when it has no size. */
    private boolean createOne(Row r, Map<String, String> t) {
        int size = r.objSize();
        int align = 0;
        long flags = 0;
        if (t != null) {
            size = intOf(t.get("object_size"), size);
            int a = intOf(t.get("align"), 0);
            align = a > 0 && Integer.bitCount(a) == 1 ? a : 0;
            flags |= "1".equals(t.get("hwcache_align")) ? SlabFlags.HWCACHE_ALIGN : 0;
            flags |= "1".equals(t.get("reclaim_account")) ? SlabFlags.RECLAIM_ACCOUNT : 0;
            flags |= "1".equals(t.get("cache_dma")) ? SlabFlags.CACHE_DMA : 0;
            flags |= "1".equals(t.get("destroy_by_rcu")) ? SlabFlags.TYPESAFE_BY_RCU : 0;
        }
        if (size <= 0) {
            return false;
        }
        // sysfs does not show a constructor; mm/slub.c: calculate_sizes() (6.1) moves the free pointer behind
        // the object only for a ctor or SLAB_TYPESAFE_BY_RCU (or debug), so a stride larger than the aligned
        // object without RCU or debug flags means the cache has a constructor.
        boolean ctor = false;
        if (t != null && (flags & SlabFlags.TYPESAFE_BY_RCU) == 0 && !debug(t)) {
            int stride = intOf(t.get("slab_size"), 0);
            int a = Math.max(intOf(t.get("align"), 8), 8);
            ctor = stride > io.kmemsim.api.slab.CacheAlignment.alignUp(size, a);
        }
        ids.put(r.name(), cache.createCache(new CacheSpec(r.name(), size, align, flags, ctor)));
        geometry.put(r.name(), r);
        if (t != null && tsvOf.get(r.name()) == null) {
            Map<String, Map<String, String>> m = new HashMap<>(tsvOf);
            m.put(r.name(), t);
            tsvOf = m;
        }
        createdCaches++;
        return true;
    }

    /**
     * name → how many distinct objects of that cache the trace frees ({@code kmem_cache_free} with {@code name=})
     * without having allocated them first: each existed when the trace began.
     */
    static Map<String, Long> preTraceFrees(SlabEvents ev) {
        Long2LongOpenHashMap live = LongMaps.create(1 << 12, -1);
        Long2LongOpenHashMap seenFree = LongMaps.create(1 << 12, -1);
        Map<String, Long> out = new HashMap<>();
        for (int i = 0; i < ev.size; i++) {
            long p = ev.ptr[i];
            if (p == 0) {
                continue;
            }
            switch (ev.type[i]) {
                case SlabEvents.CACHE_ALLOC, SlabEvents.KMALLOC -> {
                    live.put(p, i);
                    seenFree.put(p, 1); // later frees of this pointer are of traced objects
                }
                case SlabEvents.CACHE_FREE -> {
                    if (live.remove(p) < 0 && seenFree.putIfAbsent(p, 1) < 0 && ev.name[i] >= 0) {
                        out.merge(ev.names.get(ev.name[i]), 1L, Long::sum);
                    }
                }
                case SlabEvents.KFREE -> live.remove(p);
                default -> {
                }
            }
        }
        return out;
    }

    private static boolean debug(Map<String, String> t) {
        for (String k : new String[] {"red_zone", "poison", "store_user", "sanity_checks", "trace"}) {
            if ("1".equals(t.get(k))) {
                return true;
            }
        }
        return false;
    }

    private static int intOf(String s, int dflt) {
        if (s == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** The gfp that selects the kmalloc cache {@code name}, or −1 when it is not a kmalloc cache name. */
    private static int kmallocGfp(String name) {
        if (name.startsWith("kmalloc-cg-")) {
            return Gfp.GFP_KERNEL | Gfp.ACCOUNT;
        }
        if (name.startsWith("kmalloc-rcl-")) {
            return Gfp.GFP_KERNEL | Gfp.RECLAIMABLE;
        }
        if (name.startsWith("dma-kmalloc-")) {
            return Gfp.GFP_KERNEL | Gfp.DMA;
        }
        return name.startsWith("kmalloc-") ? Gfp.GFP_KERNEL : -1;
    }

    /**
     * Resolves the cache of each {@code kmem_cache_alloc} ({@link SlabCacheResolver}); −1 where unresolved.
     * The candidates are the caches this twin created, with the geometry of the slabinfo row they came from.
     */
    int[] resolveNames(SlabEvents ev, int pageShift) {
        traceNames = ev.names.size();
        List<SlabCacheResolver.Candidate> cs = new ArrayList<>();
        for (Row r : geometry.values()) {
            Map<String, String> t = tsvOf.get(r.name());
            cs.add(new SlabCacheResolver.Candidate(r.name(), r.objSize(), r.objPerSlab(), r.pagesPerSlab(), r.activeObjs(),
                    SlabCacheResolver.Candidate.accountOf(t == null ? null : t.get("target"))));
        }
        SlabCacheResolver res = new SlabCacheResolver();
        int[] cacheOf = res.resolve(ev, cs, pageShift);
        resolution.putAll(res.routes);
        return cacheOf;
    }

    /** Replays the slab events; {@code cacheOf} from {@link #resolveNames}. */
    void replay(SlabEvents ev, int[] cacheOf, int cpus) {
        Long2LongOpenHashMap addr = LongMaps.create(1 << 14, -1);
        Long2LongOpenHashMap owner = LongMaps.create(1 << 14, -1);
        Long2LongOpenHashMap nameOf = LongMaps.create(1 << 14, -1);
        Long2LongOpenHashMap seen = LongMaps.create(1 << 14, -1);
        Map<String, Integer> kmallocNames = new HashMap<>();
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < ev.size; i++) {
            int cpu = Math.floorMod(ev.cpu[i], cpus);
            long p = ev.ptr[i];
            switch (ev.type[i]) {
                case SlabEvents.CACHE_ALLOC, SlabEvents.KMALLOC -> {
                    traced++;
                    if (p == 0) {
                        reason(ev.type[i] == SlabEvents.KMALLOC ? "kmalloc failed in the kernel (NULL)"
                                : "kmem_cache_alloc failed in the kernel (NULL)");
                        continue;
                    }
                    if (addr.containsKey(p)) {
                        release(addr, owner, p, cpu);
                        net(labels, nameOf.remove(p), -1);
                        reason("alloc of a pointer still live in the twin (its free was not traced); old object freed");
                    }
                    long a;
                    long id;
                    String label;
                    if (ev.type[i] == SlabEvents.KMALLOC) {
                        a = cache.kmalloc(ev.bytesReq[i] > 0 ? ev.bytesReq[i] : ev.bytesAlloc[i], ev.gfp[i], cpu);
                        id = -2;
                        label = "kmalloc (bytes_alloc " + ev.bytesAlloc[i] + ")";
                    } else {
                        Integer cid = cacheOf[i] < 0 ? null : ids.get(ev.names.get(cacheOf[i]));
                        if (cid == null) {
                            reason(cacheOf[i] < 0
                                    ? "kmem_cache_alloc: cache unknown (no free named it, size " + "matches no single cache)"
                                    : "kmem_cache_alloc: cache not in the start slabinfo");
                            continue;
                        }
                        a = cache.alloc(cid, ev.gfp[i], cpu);
                        id = cid;
                        label = ev.names.get(cacheOf[i]);
                    }
                    if (a == ObjectCache.NO_OBJECT) {
                        reason("the twin's object cache found no memory");
                        continue;
                    }
                    addr.put(p, a);
                    owner.put(p, id);
                    seen.put(p, 1);
                    String cacheName = ev.type[i] == SlabEvents.KMALLOC ? kmallocName(ev.bytesAlloc[i], ev.gfp[i]) : label;
                    int li = kmallocNames.computeIfAbsent(cacheName, k -> {
                        labels.add(k);
                        return labels.size() - 1;
                    });
                    nameOf.put(p, li);
                    net(labels, li, 1);
                    replayed++;
                    replayedPerCache.merge(label, 1L, Long::sum);
                }
                case SlabEvents.CACHE_FREE, SlabEvents.KFREE -> {
                    if (p == 0 || p == 16) {
                        reason("kfree/kmem_cache_free of NULL or ZERO_SIZE_PTR (nothing to do, as in the kernel)");
                        continue;
                    }
                    boolean seenBefore = seen.put(p, 1) >= 0;
                    if (addr.containsKey(p)) {
                        release(addr, owner, p, cpu);
                        net(labels, nameOf.remove(p), -1);
                    } else if (seenBefore) {
                        // the trace saw this pointer already and it is not live: it was allocated again without an
                        // event (6.1's kmem_cache_alloc_bulk() fires none, mm/slub.c; the maple tree takes its nodes
                        // so), so it is no start-state object either
                        reason("kmem_cache_free/kfree of an object allocated without a trace event (kmem_cache_alloc_bulk):"
                                + " nothing freed");
                    } else if (ev.type[i] == SlabEvents.CACHE_FREE && ev.name[i] >= 0) {
                        ArrayDeque<Long> q = anonymous.get(ev.names.get(ev.name[i]));
                        Integer cid = ids.get(ev.names.get(ev.name[i]));
                        if (q != null && !q.isEmpty() && cid != null) {
                            cache.free(cid, q.pop(), cpu);
                            netObjects.merge(ev.names.get(ev.name[i]), -1L, Long::sum);
                            reason("kmem_cache_free: object allocated before the trace (a start-state object of its cache freed)");
                        } else {
                            reason("kmem_cache_free: object allocated before the trace (no start-state object left to free)");
                        }
                    } else {
                        reason(ev.type[i] == SlabEvents.KFREE
                                ? "kfree: object allocated before the trace (cache unknown, nothing freed)"
                                : "kmem_cache_free: object allocated before the trace (no name=, nothing freed)");
                    }
                }
                default -> {
                }
            }
        }
    }

    private void net(List<String> labels, long label, int d) {
        if (label >= 0) {
            netObjects.merge(labels.get((int) label), (long) d, Long::sum);
        }
    }

    /**
     * The kmalloc cache 6.1 serves {@code bytes_alloc} from for {@code gfp} ({@code mm/slab_common.c:
     * kmalloc_info[]}, {@code kmalloc_type()}: {@code __GFP_ACCOUNT} → {@code kmalloc-cg-}, reclaimable →
     * {@code kmalloc-rcl-}, {@code __GFP_DMA} → {@code dma-kmalloc-}).
     */
    static String kmallocName(long bytesAlloc, int gfp) {
        String size = bytesAlloc >= 1024 && bytesAlloc % 1024 == 0 ? bytesAlloc / 1024 + "k" : Long.toString(bytesAlloc);
        if ((gfp & Gfp.DMA) != 0) {
            return "dma-kmalloc-" + size;
        }
        if ((gfp & Gfp.ACCOUNT) != 0) {
            return "kmalloc-cg-" + size;
        }
        return ((gfp & Gfp.RECLAIMABLE) != 0 ? "kmalloc-rcl-" : "kmalloc-") + size;
    }

    private void release(Long2LongOpenHashMap addr, Long2LongOpenHashMap owner, long p, int cpu) {
        long a = addr.remove(p);
        long id = owner.remove(p);
        if (id == -2) {
            cache.kfree(a, cpu);
        } else {
            cache.free((int) id, a, cpu);
        }
    }

    /** The twin's slabinfo rows. */
    List<CacheInfo> slabinfo() {
        return cache.slabinfo();
    }

    /**
     * The comparison with the kernel's end slabinfo, for the caches the trace touched: those the trace named,
     * allocated from or freed into (kmalloc caches by size class), or whose twin counts moved during the replay
     * ({@code startCounts}: name → {active, num} before the replay). Each row carries the twin's start count and the trace's net change, so the kernel's own change
     * (after − start) can be set against it ({@link SlabResult.Row#explained()}).
     */
    List<SlabResult.Row> compare(List<Row> realAfter, Map<String, long[]> startCounts, SlabEvents ev, int cpus) {
        Map<String, CacheInfo> twin = new LinkedHashMap<>();
        for (CacheInfo ci : cache.slabinfo()) {
            twin.put(ci.name(), ci);
        }
        List<SlabResult.Row> out = new ArrayList<>();
        for (Row r : realAfter) {
            CacheInfo t = twin.get(r.name());
            if (t == null) {
                continue;
            }
            long[] s = startCounts.get(r.name());
            boolean moved = s == null || s[0] != t.activeObjs() || s[1] != t.numObjs();
            int k = ev.names.indexOf(r.name());
            boolean named = k >= 0 && k < traceNames;
            if (moved || named || netObjects.containsKey(r.name())) {
                long start = s == null ? 0 : s[0];
                out.add(new SlabResult.Row(r.name(), r.activeObjs(), r.numObjs(), t.activeObjs(), t.numObjs(), start,
                        netObjects.getOrDefault(r.name(), 0L), (long) Math.max(1, r.objPerSlab()) * Math.max(1, cpus)));
            }
        }
        return out;
    }

    /** name → {active_objs, num_objs} of the twin now. */
    Map<String, long[]> counts() {
        Map<String, long[]> m = new HashMap<>();
        for (CacheInfo ci : cache.slabinfo()) {
            m.put(ci.name(), new long[] {ci.activeObjs(), ci.numObjs()});
        }
        return m;
    }

    /** Parses {@code /proc/slabinfo} 2.1; a bad row names the file, line and field. */
    static List<Row> parseSlabinfo(BufferedReader in, String source) throws IOException {
        List<Row> rows = new ArrayList<>();
        String line;
        int n = 0;
        while ((line = in.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#") || line.startsWith("slabinfo")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 6) {
                throw new InputException(new InputProblem(source, n, 0, "",
                        "a slabinfo row needs name, active_objs, num_objs, objsize, objperslab, pagesperslab: \"" + line + "\""));
            }
            String[] names = {"active_objs", "num_objs", "objsize", "objperslab", "pagesperslab"};
            long[] v = new long[5];
            for (int k = 0; k < 5; k++) {
                try {
                    v[k] = Long.parseLong(f[k + 1]);
                } catch (NumberFormatException e) {
                    throw new InputException(new InputProblem(source, n, 0, names[k],
                            names[k] + " must be a non-negative integer: \"" + f[k + 1] + "\""));
                }
            }
            rows.add(new Row(f[0], v[0], v[1], (int) v[2], (int) v[3], (int) v[4]));
        }
        return rows;
    }

    /** Parses {@code slab_caches.boot.tsv} (header row of column names): name → column → value. */
    static Map<String, Map<String, String>> parseTsv(BufferedReader in) throws IOException {
        Map<String, Map<String, String>> out = new HashMap<>();
        String header = in.readLine();
        if (header == null) {
            return out;
        }
        String[] cols = header.split("\t");
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t");
            Map<String, String> m = new HashMap<>();
            for (int k = 0; k < cols.length && k < f.length; k++) {
                m.put(cols[k], f[k]);
            }
            if (f.length > 0) {
                out.put(f[0], m);
            }
        }
        return out;
    }
}
