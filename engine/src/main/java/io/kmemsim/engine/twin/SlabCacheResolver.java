package io.kmemsim.engine.twin;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Finds the cache of each {@code kmem_cache_alloc} of a trace, with or without {@code name=}.
 *
 * <p>No {@code kmem_cache_alloc} of 6.1 prints the cache ({@code include/trace/events/kmem.h}, 6.1); its
 * {@code kmem_cache_free} does from 5.12, and no slab event does before. What every version prints is
 * {@code call_site} (the caller of {@code kmem_cache_alloc}), {@code ptr} and {@code bytes_alloc}, which is the
 * cache's {@code s->size} (the slabinfo {@code objsize}, {@code mm/slab_common.c: cache_show()} 6.1). The evidence,
 * in the order it is used:
 * <ol>
 *   <li>{@code name=} on the event itself;</li>
 *   <li>{@code name=} of the free of the same pointer that follows it;</li>
 *   <li>the group: allocations from one {@code call_site} with one {@code bytes_alloc}, and objects on one page
 *       (a page belongs to one slab, so to one cache: {@code mm/slub.c: allocate_slab()} 6.1), are one cache; the
 *       group takes the name most of its named objects (and the named frees of pre-trace objects on its pages)
 *       carry;</li>
 *   <li>the cache most often named for that {@code bytes_alloc} by alloc/free pairs;</li>
 *   <li>the one start cache of that size;</li>
 *   <li>several caches of that size: those whose slab geometry fits every pointer of the group (an object sits at
 *       {@code slab + k * s->size}, {@code k < objperslab}, and a slab of {@code pagesperslab} pages is aligned to
 *       its size, being one buddy block) and whose {@code SLAB_ACCOUNT} agrees with the group's {@code accounted=};
 *       of those, a cache known to have the group's flag before one not known, then the one with the most start
 *       objects.</li>
 * </ol>
 * Caches named {@code kmalloc-*} are not candidates: 6.1's kmalloc reports {@code kmalloc}, never
 * {@code kmem_cache_alloc} ({@code mm/slab_common.c: __kmalloc()} 6.1).
 */
final class SlabCacheResolver {

    /**
     * A cache a {@code kmem_cache_alloc} may go to.
     *
     * @param account 1 when the cache has {@code SLAB_ACCOUNT}, 0 when it has not, −1 unknown: SLUB names a merged
     *                cache {@code :A-<size>} when it has the flag and {@code :<size>} (no {@code A}) when not
     *                ({@code mm/slub.c: create_unique_id()} 6.1; the {@code target} column of slab_caches.boot.tsv);
     *                an unmerged cache shows its own name, which says nothing
     */
    record Candidate(String name, int objSize, int objPerSlab, int pagesPerSlab, long startActive, int account) {

        Candidate(String name, int objSize, int objPerSlab, int pagesPerSlab, long startActive) {
            this(name, objSize, objPerSlab, pagesPerSlab, startActive, -1);
        }

        /** The {@link #account} a slab_caches tsv {@code target} implies. */
        static int accountOf(String target) {
            if (target == null || !target.startsWith(":")) {
                return -1;
            }
            int dash = target.indexOf('-');
            return dash > 0 && target.substring(1, dash).contains("A") ? 1 : 0;
        }
    }

    static final String NAMED = "name= on the event";
    static final String FREE = "name= of the free of the same pointer";
    static final String GROUP = "call site or slab page shared with named objects";
    static final String SIZE_NAMED = "bytes_alloc most often named by a free";
    static final String UNIQUE = "bytes_alloc of exactly one start cache";
    static final String GEOMETRY = "bytes_alloc of several caches: the only one whose slab geometry and SLAB_ACCOUNT fit";
    static final String LARGEST = "bytes_alloc of several caches: of those that fit, the one with most start objects";
    static final String UNRESOLVED = "unresolved";

    /** The routes by code ({@link #routeOf}). */
    static final String[] ROUTES = {UNRESOLVED, NAMED, FREE, GROUP, SIZE_NAMED, UNIQUE, GEOMETRY, LARGEST};

    /** How many allocations each route resolved. */
    final Map<String, Long> routes = new TreeMap<>();
    /** Per event, the code of the route that resolved it ({@link #ROUTES}; 0 also for events other than allocations). */
    byte[] routeOf = new byte[0];

    private int[] parent;

    private int find(int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private void union(int a, int b) {
        int ra = find(a);
        int rb = find(b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
    }

    private static long mix(long a, long b) {
        long h = a * 0x9E3779B97F4A7C15L + b;
        h ^= h >>> 31;
        return h * 0xBF58476D1CE4E5B9L;
    }

    /**
     * The cache (an index into {@code ev.names}, interning candidate names) of each {@code kmem_cache_alloc}
     * event; −1 where unresolved and for other events.
     */
    int[] resolve(SlabEvents ev, List<Candidate> candidates, int pageShift) {
        int n = ev.size;
        int[] cacheOf = new int[n];
        byte[] route = new byte[n];
        parent = new int[n];
        Long2LongOpenHashMap open = LongMaps.create(1 << 12, -1);
        Long2LongOpenHashMap bySite = LongMaps.create(1 << 10, -1);
        Long2LongOpenHashMap byPage = LongMaps.create(1 << 12, -1);
        Long2LongOpenHashMap pageName = LongMaps.create(1 << 12, -1);
        Map<Long, Map<Integer, Integer>> pairs = new HashMap<>();
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            cacheOf[i] = -1;
            long page = ev.ptr[i] >>> pageShift;
            if (ev.ptr[i] == 0) {
                continue; // a failed allocation, or a free of NULL
            }
            switch (ev.type[i]) {
                case SlabEvents.CACHE_ALLOC -> {
                    cacheOf[i] = ev.name[i];
                    route[i] = (byte) (ev.name[i] >= 0 ? 1 : 0);
                    open.put(ev.ptr[i], i);
                    if (ev.callSite[i] != 0) {
                        long k = mix(ev.callSite[i], ev.bytesAlloc[i]);
                        long j = bySite.putIfAbsent(k, i);
                        if (j >= 0) {
                            union((int) j, i);
                        }
                    }
                    long pk = mix(page, ev.bytesAlloc[i]);
                    long j = byPage.putIfAbsent(pk, i);
                    if (j >= 0) {
                        union((int) j, i);
                    }
                    if (ev.name[i] >= 0) {
                        pageName.put(page, ev.name[i]);
                    }
                }
                case SlabEvents.CACHE_FREE -> {
                    long j = open.remove(ev.ptr[i]);
                    if (ev.name[i] >= 0) {
                        pageName.put(page, ev.name[i]);
                        if (j >= 0 && cacheOf[(int) j] < 0) {
                            cacheOf[(int) j] = ev.name[i];
                            route[(int) j] = 2;
                            pairs.computeIfAbsent(ev.bytesAlloc[(int) j], k -> new HashMap<>()).merge(ev.name[i], 1, Integer::sum);
                        }
                    }
                }
                case SlabEvents.KFREE -> open.remove(ev.ptr[i]);
                default -> {
                }
            }
        }
        // the names each group's objects (and the named frees on its pages) carry, most frequent first
        Map<Integer, Map<Integer, Integer>> groupNames = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (ev.type[i] != SlabEvents.CACHE_ALLOC) {
                continue;
            }
            int g = find(i);
            if (cacheOf[i] >= 0) {
                groupNames.computeIfAbsent(g, k -> new HashMap<>()).merge(cacheOf[i], 1, Integer::sum);
            }
            long pn = pageName.get(ev.ptr[i] >>> pageShift);
            if (pn >= 0) {
                groupNames.computeIfAbsent(g, k -> new HashMap<>()).merge((int) pn, 1, Integer::sum);
            }
        }
        Map<Long, Integer> bySize = new HashMap<>();
        pairs.forEach((size, m) -> bySize.put(size, best(m)));
        Map<Long, List<Candidate>> ofSize = new HashMap<>();
        for (Candidate c : candidates) {
            if (!c.name().startsWith("kmalloc-") && !c.name().startsWith("dma-kmalloc-")) {
                ofSize.computeIfAbsent((long) c.objSize(), k -> new java.util.ArrayList<>()).add(c);
            }
        }
        // per group, which same-size candidates fit every pointer of the group (bit k: candidate k of its size)
        Map<Integer, Long> fits = new HashMap<>();
        // per group, candidates whose known SLAB_ACCOUNT flag the group's accounted= matched (preferred over unknown)
        Map<Integer, Long> known = new HashMap<>();
        for (int i = 0; i < n; i++) {
            if (ev.type[i] != SlabEvents.CACHE_ALLOC || cacheOf[i] >= 0) {
                continue;
            }
            List<Candidate> cs = ofSize.get(ev.bytesAlloc[i]);
            if (cs == null || cs.size() < 2) {
                continue;
            }
            // accounted=false: the cache has no SLAB_ACCOUNT; true without __GFP_ACCOUNT: it has
            // (include/trace/events/kmem.h 6.1: accounted = SLAB_ACCOUNT in s->flags or __GFP_ACCOUNT in the gfp)
            int acc = ev.accounted[i] == 0 ? 0 : ev.accounted[i] == 1 && (ev.gfp[i] & Gfp.ACCOUNT) == 0 ? 1 : -1;
            long mask = 0;
            for (int k = 0; k < cs.size() && k < 64; k++) {
                Candidate c = cs.get(k);
                boolean accOk = acc < 0 || c.account() < 0 || c.account() == acc;
                if (accOk && fitsGeometry(ev.ptr[i], c, pageShift)) {
                    mask |= 1L << k;
                }
                if (acc >= 0 && c.account() == acc) {
                    known.merge(find(i), 1L << k, (a, b) -> a | b);
                }
            }
            fits.merge(find(i), mask, (a, b) -> a & b);
        }
        routeOf = new byte[n];
        for (int i = 0; i < n; i++) {
            if (ev.type[i] != SlabEvents.CACHE_ALLOC || ev.ptr[i] == 0) {
                continue;
            }
            if (cacheOf[i] >= 0) {
                count(i, route[i] == 1 ? NAMED : FREE);
                continue;
            }
            Map<Integer, Integer> gn = groupNames.get(find(i));
            if (gn != null) {
                cacheOf[i] = best(gn);
                count(i, GROUP);
                continue;
            }
            Integer s = bySize.get(ev.bytesAlloc[i]);
            if (s != null) {
                cacheOf[i] = s;
                count(i, SIZE_NAMED);
                continue;
            }
            List<Candidate> cs = ofSize.get(ev.bytesAlloc[i]);
            if (cs == null) {
                count(i, UNRESOLVED);
                continue;
            }
            if (cs.size() == 1) {
                cacheOf[i] = ev.id(cs.get(0).name());
                count(i, UNIQUE);
                continue;
            }
            long mask = fits.getOrDefault(find(i), 0L);
            long preferred = mask & known.getOrDefault(find(i), 0L);
            long from = preferred != 0 ? preferred : mask;
            Candidate pick = null;
            for (int k = 0; k < cs.size() && k < 64; k++) {
                if ((from & (1L << k)) != 0 && (pick == null || cs.get(k).startActive() > pick.startActive())) {
                    pick = cs.get(k);
                }
            }
            if (pick == null) {
                count(i, UNRESOLVED);
                continue;
            }
            cacheOf[i] = ev.id(pick.name());
            count(i, Long.bitCount(mask) == 1 ? GEOMETRY : LARGEST);
        }
        parent = null;
        return cacheOf;
    }

    /** Whether an object at {@code ptr} can be an object of {@code c}: on a slab boundary of its stride. */
    static boolean fitsGeometry(long ptr, Candidate c, int pageShift) {
        long slabBytes = (long) Math.max(1, c.pagesPerSlab()) << pageShift;
        if (Long.bitCount(slabBytes) != 1 || c.objSize() <= 0) {
            return true; // no natural alignment to test against
        }
        long off = ptr & (slabBytes - 1);
        return off % c.objSize() == 0 && off / c.objSize() < Math.max(1, c.objPerSlab());
    }

    private void count(String r) {
        routes.merge(r, 1L, Long::sum);
    }

    private void count(int i, String r) {
        count(r);
        routeOf[i] = (byte) java.util.Arrays.asList(ROUTES).indexOf(r);
    }

    /** The most frequent key (ties: the smaller key, so the first interned name). */
    private static int best(Map<Integer, Integer> m) {
        int best = -1;
        int bestCount = 0;
        for (Map.Entry<Integer, Integer> e : m.entrySet()) {
            if (e.getValue() > bestCount || e.getValue() == bestCount && e.getKey() < best) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }
}
