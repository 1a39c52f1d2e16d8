package io.kmemsim.slub;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.slab.CacheAlignment;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.api.slab.SlubOrder;
import io.kmemsim.api.support.slab.CacheIds;
import io.kmemsim.api.support.slab.CacheRules;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SLUB's caches: creation ({@code kmem_cache_create}: layout, order, limits, freelist permutation), merging
 * into aliases, the user-visible cache ids and the kmalloc caches made at boot with their lookup table
 * ({@code kmalloc_caches[type][index]}).
 */
final class SlubCaches {

    private static final int SLOTS = KmallocClasses.MAX_NAMED_INDEX + 1;

    /** Every cache ever made, by internal index (a destroyed one stays, not live). */
    final List<SlubCache> all = new ArrayList<>();
    /** User cache id to cache. */
    final CacheIds<SlubCache> ids = new CacheIds<>();
    private final SlubObjectCache a;
    private final int minObjectsPerSlab;
    private final SlubCache[] kmallocTable;

    SlubCaches(SlubObjectCache a) {
        this.a = a;
        this.minObjectsPerSlab = SlubOrder.minObjects(a.cpus, a.options.minObjects());
        List<KmallocClasses.Cache> boot = a.kmallocClasses.caches();
        int[] internal = new int[boot.size()];
        for (int i = 0; i < boot.size(); i++) {
            KmallocClasses.Cache k = boot.get(i);
            internal[i] = create(k.name(), k.size(), k.align(), a.debugParam.flagsFor(k.name(), k.flags()), false, true).index;
        }
        kmallocTable = new SlubCache[KmallocClasses.Type.values().length * SLOTS];
        for (KmallocClasses.Type t : KmallocClasses.Type.values()) {
            for (int i = 0; i < SLOTS; i++) {
                int pos = a.kmallocClasses.cacheFor(t, i);
                kmallocTable[t.ordinal() * SLOTS + i] = pos < 0 ? null : all.get(internal[pos]);
            }
        }
    }

    /** The kmalloc cache for size-class index {@code idx} of the type {@code gfp} selects. */
    SlubCache kmalloc(int gfp, int idx) {
        return kmallocTable[a.kmallocClasses.type(gfp).ordinal() * SLOTS + idx];
    }

    /** {@code kmem_cache_create}: a merge into an existing cache, else a new cache; returns the new id. */
    int create(CacheSpec spec) {
        long flags = a.debugParam.flagsFor(spec.name(), spec.flags());
        SlubCache target = findMergeable(spec, flags);
        if (target != null) {
            target.refcount++;
            target.objectSize = Math.max(target.objectSize, spec.size());
            target.inuse = Math.max(target.inuse, CacheAlignment.alignUp(spec.size(), CacheAlignment.WORD));
        } else {
            target = create(spec.name(), spec.size(), spec.align(), flags, spec.ctor(), false);
        }
        return ids.add(target);
    }

    /** {@code kmem_cache_create} of a new cache: {@code calculate_sizes}, {@code calculate_order}, limits (§3.2–§3.4). */
    private SlubCache create(String name, int objectSize, int requestedAlign, long requestedFlags, boolean ctor,
                             boolean kmalloc) {
        SlubRules rules = a.rules;
        SlubOptions options = a.options;
        int pageShift = a.pageShift;
        int maxOrder = a.pages.maxOrder();
        long flags = requestedFlags;
        int align = CacheAlignment.calculate(flags, requestedAlign, objectSize, options.cacheLineSize());
        SlubGeometry.Layout layout = SlubGeometry.calculateSizes(rules, objectSize, flags, align, ctor, kmalloc);
        if (a.debugParam.higherOrderDisable()
                && KmallocClasses.getOrder(layout.size(), pageShift) > KmallocClasses.getOrder(objectSize, pageShift)) {
            flags &= ~SlubDebugParam.METADATA_FLAGS;
            layout = SlubGeometry.calculateSizes(rules, objectSize, flags, align, ctor, kmalloc);
        }
        int size = layout.size();
        int order = SlubOrder.calculateOrder(rules.newOrderAlgorithm(), size, minObjectsPerSlab, options.minOrder(),
                Math.max(options.minOrder(), options.maxOrder()), maxOrder, pageShift);
        if (order < 0) {
            throw new IllegalArgumentException("kmem_cache_create(" + name + "): no slab order up to "
                    + maxOrder + " holds one object of stride " + size);
        }
        int objects = SlubOrder.orderObjects(order, size, pageShift);
        int minOrder = KmallocClasses.getOrder(size, pageShift);
        int minObjects = SlubOrder.orderObjects(minOrder, size, pageShift);
        boolean debug = SlabFlags.isDebug(flags);
        int cpuPartial = SlubGeometry.cpuPartial(rules, size, 1 << pageShift, debug, options.cpuPartial());
        int allocflags = (rules.compAlways() || order > 0 ? Gfp.COMP : 0) | CacheRules.allocFlags(flags);
        int index = all.size();
        SplittableRandom cacheRandom = new SplittableRandom(a.seed ^ (0x9e3779b97f4a7c15L * (index + 1)));
        long hardenKey = options.hardenedFreelist() ? cacheRandom.nextLong() : 0L;
        int[] seq = options.randomizeFreelist() ? permutation(objects, cacheRandom) : null;
        boolean mergeable = !kmalloc && CacheRules.mergeable(a.kernel, options.merge(), ctor, flags);
        SlubCache c = new SlubCache(index, name, flags, ctor, kmalloc, mergeable, align, layout, order, objects,
                minOrder, minObjects, cpuPartial, allocflags, hardenKey, seq, a.cpus);
        all.add(c);
        return c;
    }

    /** {@code freelist_randomize}: a Fisher–Yates shuffle of 0 … n−1 (§3.6). */
    private static int[] permutation(int n, SplittableRandom r) {
        int[] seq = new int[n];
        for (int i = 0; i < n; i++) {
            seq[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = seq[i];
            seq[i] = seq[j];
            seq[j] = t;
        }
        return seq;
    }

    /** {@code find_mergeable} (§2.5): the oldest compatible cache, or null. */
    private SlubCache findMergeable(CacheSpec spec, long flags) {
        if (!CacheRules.mergeable(a.kernel, a.options.merge(), spec.ctor(), flags)) {
            return null;
        }
        int align = CacheAlignment.calculate(flags, spec.align(), spec.size(), a.options.cacheLineSize());
        int size = CacheRules.mergeSize(spec.size(), align);
        for (SlubCache s : all) {
            if (s.live && s.mergeable && CacheRules.mergeFits(size, align, flags, s.size, s.flags)) {
                return s;
            }
        }
        return null;
    }

    /** The kmalloc cache with {@code name}, or null. */
    SlubCache kmallocCache(String name) {
        for (SlubCache c : all) {
            if (c.kmalloc && c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }
}
