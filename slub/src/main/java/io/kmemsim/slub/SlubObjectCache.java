package io.kmemsim.slub;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.slab.CacheAlignment;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.api.stats.CounterVisitor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SLUB over the {@link PageAllocator} SPI: kmem caches with per-CPU slabs, per-CPU partial lists and a
 * node partial list, kmalloc caches made at boot, large kmalloc, merging (include/linux/slab.h: __kmalloc_index() (6.1); mm/slub.c: kmem_cache_open(), alloc_slab_page() (6.1)).
 *
 * <p>Notes:
 * <ul>
 *   <li>Addresses: an object is named by its simulated kernel virtual address, the linear-map address
 *       of its slab's first page plus its offset: {@code PAGE_OFFSET + (pfn << PAGE_SHIFT) + i × size +
 *       red_left_pad}. PAGE_OFFSET is {@code 0xffff000000000000} on arm64 (48-bit VA; memstart_addr
 *       taken as 0, as on the RK3588 whose DRAM starts at 0; linear-map KASLR off) and
 *       {@code 0xffff888000000000} on x86-64.</li>
 *   <li>One memory node. No pfmemalloc, no remote-node defragmentation, no preemption: the cmpxchg
 *       retry counters and ALLOC_NODE_MISMATCH never move, and a cpu slab is never replaced behind the
 *       slow path's back, so deactivation happens only on flush (shrink, destroy).</li>
 *   <li>Allocation follows mm/slub.c: ___slab_alloc() (6.1) step by step: fast path from the cpu freelist; slow path: refill from
 *       the cpu slab's own freelist (remote frees, ALLOC_REFILL) or drop a full cpu slab
 *       (DEACTIVATE_BYPASS); then the cpu partial list (CPU_PARTIAL_ALLOC; up to 6.7 this goes through the
 *       refill step and counts ALLOC_REFILL too); then the node partial list (ALLOC_FROM_PARTIAL, moving
 *       further slabs to the cpu partial list, CPU_PARTIAL_NODE); then a new slab (ALLOC_SLAB, mm/slub.c: alloc_slab_page() (6.1); mm/slab.c: kmem_getpages() (6.1)).</li>
 *   <li>Freeing follows mm/slub.c: __slab_free(), put_cpu_partial() (6.1): to the cpu freelist when the object's slab is this CPU's cpu slab, else to
 *       the slab's freelist with the frozen / was-full / became-empty decisions.</li>
 *   <li>Debug caches (any of F, Z, P, U, T; from the cache's flags or the {@code slub_debug} option,
 *       mm/slub.c: setup_slub_debug(), parse_slub_debug_flags() (6.1)) take the locked path of mm/slub.c: alloc_debug_processing(), free_debug_processing() (6.1) (as 6.1+ does; 5.10's debug caches still used cpu slabs, not
 *       modelled). Their bytes are simulated by {@link SlubDebug}: red zones, poison, free pointers,
 *       checks, validation, repair and reports (mm/slub.c: setup_slub_debug() (6.1)). Caches without debug flags never touch it.</li>
 *   <li>TYPESAFE_BY_RCU slabs are freed at once (no grace period is modelled).</li>
 *   <li>Hot paths ({@link #alloc}, {@link #free}, {@link #kmalloc}, {@link #kfree} when served by a cpu
 *       slab) do not allocate.</li>
 * </ul>
 */
final class SlubObjectCache implements ObjectCache {

    static final long ARM64_PAGE_OFFSET = 0xffff000000000000L;
    static final long X86_64_PAGE_OFFSET = 0xffff888000000000L;

    private static final int END = SlubSlabs.END;
    private static final int ALLOCATED = SlubSlabs.ALLOCATED;

    final KernelVersion kernel;
    final SlubRules rules;
    final SlubOptions options;
    final int cpus;
    final int pageShift;
    final long linearBase;
    final PageAllocator pages;
    final KmallocClasses kmallocClasses;
    final SlubSlabs slabs = new SlubSlabs();
    final List<SlubCache> caches = new ArrayList<>();
    private final boolean zoneDma;
    private final int minObjectsPerSlab;
    private final long seed;
    private final SplittableRandom random;
    private final int[] kmallocSlot;
    private int[] idToCache = new int[16];
    private int nextId;

    /** The slub_debug parameter (mm/slub.c: setup_slub_debug(), parse_slub_debug_flags() (6.1)). */
    final SlubDebugParam debugParam;
    /** Bytes, checks and reports of the debug caches (mm/slub.c: setup_slub_debug() (6.1)). */
    final SlubDebug debug;

    long pagesTaken;
    long pagesReturned;
    long largePages;
    long reclaimableBytes;
    long unreclaimableBytes;

    SlubObjectCache(ProviderContext ctx, SlubOptions options) {
        this.kernel = ctx.kernel();
        this.rules = SlubRules.of(kernel);
        this.options = options;
        this.cpus = ctx.cpus();
        this.pageShift = ctx.kernelConfig().pageSize().shift();
        this.pages = ctx.pageAllocator();
        this.zoneDma = ctx.kernelConfig().zoneDma();
        KmallocClasses.Arch arch = KmallocClasses.Arch.parse(options.arch());
        this.linearBase = arch == KmallocClasses.Arch.ARM64 ? ARM64_PAGE_OFFSET : X86_64_PAGE_OFFSET;
        this.seed = ctx.seed();
        this.random = new SplittableRandom(seed);
        this.minObjectsPerSlab = SlubGeometry.minObjects(cpus, options.minObjects());
        this.debugParam = SlubDebugParam.parse(options.slubDebug(), kernel);
        this.debug = new SlubDebug(this);
        this.kmallocClasses = KmallocClasses.of(kernel, ctx.kernelConfig().pageSize(), pages.maxOrder(), arch,
                options.kmallocMinalign(), zoneDma, options.memcgKmem());
        Arrays.fill(idToCache, -1);
        List<KmallocClasses.Cache> boot = kmallocClasses.caches();
        int[] internal = new int[boot.size()];
        for (int i = 0; i < boot.size(); i++) {
            KmallocClasses.Cache k = boot.get(i);
            internal[i] = newCache(k.name(), k.size(), k.align(), debugParam.flagsFor(k.name(), k.flags()), false, true).index;
        }
        int types = KmallocClasses.Type.values().length;
        kmallocSlot = new int[types * (KmallocClasses.MAX_NAMED_INDEX + 1)];
        for (KmallocClasses.Type t : KmallocClasses.Type.values()) {
            for (int i = 0; i <= KmallocClasses.MAX_NAMED_INDEX; i++) {
                int pos = kmallocClasses.cacheFor(t, i);
                kmallocSlot[t.ordinal() * (KmallocClasses.MAX_NAMED_INDEX + 1) + i] = pos < 0 ? -1 : internal[pos];
            }
        }
    }

    // ---------------------------------------------------------------- caches

    private SlubCache newCache(String name, int objectSize, int requestedAlign, long requestedFlags, boolean ctor,
                               boolean kmalloc) {
        long flags = requestedFlags;
        int align = CacheAlignment.calculate(flags, requestedAlign, objectSize, options.cacheLineSize());
        SlubGeometry.Layout layout = SlubGeometry.calculateSizes(rules, objectSize, flags, align, ctor, kmalloc);
        if (debugParam.higherOrderDisable()
                && SlubGeometry.getOrder(layout.size(), pageShift) > SlubGeometry.getOrder(objectSize, pageShift)) {
            flags &= ~SlubDebugParam.METADATA_FLAGS;
            layout = SlubGeometry.calculateSizes(rules, objectSize, flags, align, ctor, kmalloc);
        }
        int size = layout.size();
        int order = SlubGeometry.calculateOrder(rules, size, minObjectsPerSlab, options.minOrder(),
                Math.max(options.minOrder(), options.maxOrder()), pages.maxOrder(), pageShift);
        if (order < 0) {
            throw new IllegalArgumentException("kmem_cache_create(" + name + "): no slab order up to "
                    + pages.maxOrder() + " holds one object of stride " + size);
        }
        int objects = SlubGeometry.orderObjects(order, size, pageShift);
        int minOrder = SlubGeometry.getOrder(size, pageShift);
        int minObjects = SlubGeometry.orderObjects(minOrder, size, pageShift);
        boolean debug = SlabFlags.isDebug(flags);
        int cpuPartial = SlubGeometry.cpuPartial(rules, size, 1 << pageShift, debug, options.cpuPartial());
        int allocflags = (rules.compAlways() || order > 0 ? Gfp.COMP : 0)
                | ((flags & SlabFlags.CACHE_DMA) != 0 ? Gfp.DMA : 0)
                | ((flags & SlabFlags.CACHE_DMA32) != 0 ? Gfp.DMA32 : 0)
                | ((flags & SlabFlags.RECLAIM_ACCOUNT) != 0 ? Gfp.RECLAIMABLE : 0);
        int index = caches.size();
        SplittableRandom cacheRandom = new SplittableRandom(seed ^ (0x9e3779b97f4a7c15L * (index + 1)));
        long hardenKey = options.hardenedFreelist() ? cacheRandom.nextLong() : 0L;
        int[] seq = options.randomizeFreelist() ? permutation(objects, cacheRandom) : null;
        boolean mergeable = !kmalloc && !ctor && options.merge() && (flags & SlabFlags.neverMerge(kernel)) == 0;
        SlubCache c = new SlubCache(index, name, flags, ctor, kmalloc, mergeable, align, layout, order, objects,
                minOrder, minObjects, cpuPartial, allocflags, hardenKey, seq, cpus);
        caches.add(c);
        return c;
    }

    /** {@code freelist_randomize}: a Fisher–Yates shuffle of 0 … n−1 (mm/slub.c: allocate_slab(), shuffle_freelist() (6.1)). */
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

    @Override
    public int createCache(CacheSpec spec) {
        if (spec.size() > kmallocClasses.maxSize()) {
            throw new IllegalArgumentException("kmem_cache_create(" + spec.name() + "): size must be <= KMALLOC_MAX_SIZE "
                    + kmallocClasses.maxSize() + ": " + spec.size());
        }
        long flags = debugParam.flagsFor(spec.name(), spec.flags());
        SlubCache target = findMergeable(spec, flags);
        if (target != null) {
            target.refcount++;
            target.objectSize = Math.max(target.objectSize, spec.size());
            target.inuse = Math.max(target.inuse, CacheAlignment.alignUp(spec.size(), CacheAlignment.WORD));
        } else {
            target = newCache(spec.name(), spec.size(), spec.align(), flags, spec.ctor(), false);
        }
        if (nextId == idToCache.length) {
            idToCache = Arrays.copyOf(idToCache, nextId * 2);
            Arrays.fill(idToCache, nextId, idToCache.length, -1);
        }
        idToCache[nextId] = target.index;
        return nextId++;
    }

    /** {@code find_mergeable} (mm/slab_common.c: find_mergeable(), slab_unmergeable() (6.1)): the oldest compatible cache, or null. */
    private SlubCache findMergeable(CacheSpec spec, long flags) {
        if (!options.merge() || spec.ctor() || (flags & SlabFlags.neverMerge(kernel)) != 0) {
            return null;
        }
        int align = CacheAlignment.calculate(flags, spec.align(), spec.size(), options.cacheLineSize());
        int size = CacheAlignment.alignUp(CacheAlignment.alignUp(spec.size(), CacheAlignment.WORD), align);
        for (SlubCache s : caches) {
            if (!s.live || !s.mergeable || size > s.size
                    || (flags & SlabFlags.MERGE_SAME) != (s.flags & SlabFlags.MERGE_SAME)
                    || (s.size & (align - 1)) != 0 || s.size - size >= CacheAlignment.WORD) {
                continue;
            }
            return s;
        }
        return null;
    }

    private SlubCache cacheOf(int cacheId) {
        if (cacheId < 0 || cacheId >= nextId || idToCache[cacheId] < 0) {
            throw new IllegalArgumentException("unknown cache id: " + cacheId);
        }
        return caches.get(idToCache[cacheId]);
    }

    /** Aliases of the cache behind {@code cacheId} ({@code refcount - 1}, sysfs {@code aliases}). */
    int aliases(int cacheId) {
        return cacheOf(cacheId).refcount - 1;
    }

    /** The internal cache behind a user cache id (tests, benchmarks). */
    SlubCache cache(int cacheId) {
        return cacheOf(cacheId);
    }

    /** The kmalloc cache with {@code name}, or null. */
    SlubCache kmallocCache(String name) {
        for (SlubCache c : caches) {
            if (c.kmalloc && c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * {@code kmem_cache_destroy} (mm/slab_common.c: kmem_cache_destroy(), kmem_cache_shrink() (6.1)): drops the alias; the last one shuts the cache down: flush, free the
     * empty partial slabs. When objects remain, the leak report (mm/slub.c: slab_err(), print_trailer() (6.1)) goes to {@link #reports()} and the
     * cache stays (its slabs and its {@code /proc/slabinfo} row are kept, its id is gone), as in the kernel.
     */
    @Override
    public void destroyCache(int cacheId) {
        SlubCache c = cacheOf(cacheId);
        idToCache[cacheId] = -1;
        if (--c.refcount > 0) {
            return;
        }
        flush(c, 0);
        for (int s = c.partialHead; s >= 0; ) {
            int nx = slabs.next[s];
            if (slabs.inuse[s] == 0) {
                removePartial(c, s);
                discardSlab(c, s, 0);
            }
            s = nx;
        }
        if (c.nrSlabs > 0) {
            SlubValidator.reportLeaks(this, c);
            return;
        }
        c.live = false;
    }

    /**
     * {@code kmem_cache_shrink} (mm/slab_common.c: kmem_cache_destroy(), kmem_cache_shrink() (6.1)): flushes the cpu slabs, frees every empty node-partial slab and
     * orders the rest with the fullest (1 … 32 free objects) first.
     */
    void shrink(int cacheId, int cpu) {
        SlubCache c = cacheOf(cacheId);
        checkCpu(cpu);
        flush(c, cpu);
        int[] order = new int[c.nrPartial];
        int n = 0;
        for (int s = c.partialHead; s >= 0; ) {
            int nx = slabs.next[s];
            removePartial(c, s);
            if (slabs.inuse[s] == 0) {
                discardSlab(c, s, cpu);
            } else {
                order[n++] = s;
            }
            s = nx;
        }
        for (int free = 1; free <= 32; free++) {
            for (int i = 0; i < n; i++) {
                if (slabs.objects[order[i]] - slabs.inuse[order[i]] == free) {
                    addPartial(c, order[i], true);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (slabs.objects[order[i]] - slabs.inuse[order[i]] > 32) {
                addPartial(c, order[i], true);
            }
        }
    }

    // ---------------------------------------------------------------- allocation

    @Override
    public long alloc(int cacheId, int gfp, int cpu) {
        checkCpu(cpu);
        return allocObject(cacheOf(cacheId), gfp, cpu, -1);
    }

    @Override
    public long kmalloc(long size, int gfp, int cpu) {
        checkCpu(cpu);
        if (size == 0) {
            return KmallocClasses.ZERO_SIZE_PTR;
        }
        int idx = kmallocClasses.index(size);
        if (idx < 0) {
            return kmallocLarge(size, gfp, cpu);
        }
        int slot = kmallocClasses.type(gfp).ordinal() * (KmallocClasses.MAX_NAMED_INDEX + 1) + idx;
        return allocObject(caches.get(kmallocSlot[slot]), gfp, cpu, size);
    }

    /**
     * {@code kmalloc_trace}: {@code size} bytes from the given cache, recorded as the original request size
     * (kunit's {@code test_kmalloc_redzone_access}, lib/slub_kunit.c: test_cases[] (6.1)).
     */
    long kmallocFrom(int cacheId, long size, int gfp, int cpu) {
        checkCpu(cpu);
        SlubCache c = cacheOf(cacheId);
        if (size <= 0 || size > c.objectSize) {
            throw new IllegalArgumentException("kmalloc from " + c.name + ": size must be in [1, " + c.objectSize + "]: " + size);
        }
        return allocObject(c, gfp, cpu, size);
    }

    /** {@code orig}: the kmalloc request size, −1 for kmem_cache_alloc. */
    private long allocObject(SlubCache c, int gfp, int cpu, long orig) {
        if (c.debug) {
            return allocDebug(c, gfp, cpu, orig);
        }
        int obj = c.cpuFreelist[cpu];
        if (obj >= 0) {
            int slab = c.cpuSlab[cpu];
            int[] next = slabs.objNext[slab];
            c.cpuFreelist[cpu] = next[obj];
            next[obj] = ALLOCATED;
            c.stats[cpu * SlubStat.COUNT + SlubStat.ALLOC_FASTPATH.ordinal()]++;
            c.allocated++;
            return slabs.base[slab] + (long) obj * c.size + c.redLeftPad;
        }
        return allocSlow(c, gfp, cpu);
    }

    /** {@code ___slab_alloc} (mm/slub.c: ___slab_alloc() (6.1) slow path). */
    private long allocSlow(SlubCache c, int gfp, int cpu) {
        c.stat(cpu, SlubStat.ALLOC_SLOWPATH);
        int slab = c.cpuSlab[cpu];
        if (slab >= 0) {
            int fl = slabs.freelist[slab];
            if (fl == END) {
                c.cpuSlab[cpu] = -1;
                slabs.state[slab] = SlubSlabs.FULL;
                c.stat(cpu, SlubStat.DEACTIVATE_BYPASS);
            } else {
                c.stat(cpu, SlubStat.ALLOC_REFILL);
                return loadFreelist(c, cpu, slab, takeFreelist(slab));
            }
        }
        if (c.cpuPartialHead[cpu] >= 0) {
            slab = c.cpuPartialHead[cpu];
            c.cpuPartialHead[cpu] = slabs.next[slab];
            c.stat(cpu, SlubStat.CPU_PARTIAL_ALLOC);
            if (!rules.cpuPartialLoop()) {
                c.stat(cpu, SlubStat.ALLOC_REFILL);
            }
            return loadFreelist(c, cpu, slab, takeFreelist(slab));
        }
        slab = getPartial(c, cpu);
        if (slab >= 0) {
            return loadFreelist(c, cpu, slab, takeFreelist(slab));
        }
        slab = newSlab(c, gfp, cpu);
        if (slab < 0) {
            return NO_OBJECT;
        }
        c.stat(cpu, SlubStat.ALLOC_SLAB);
        return loadFreelist(c, cpu, slab, takeFreelist(slab));
    }

    /** Takes a slab's whole freelist for a cpu: {@code inuse = objects}. */
    private int takeFreelist(int slab) {
        int fl = slabs.freelist[slab];
        slabs.freelist[slab] = END;
        slabs.inuse[slab] = slabs.objects[slab];
        return fl;
    }

    private long loadFreelist(SlubCache c, int cpu, int slab, int head) {
        slabs.state[slab] = SlubSlabs.CPU;
        slabs.cpu[slab] = cpu;
        c.cpuSlab[cpu] = slab;
        int[] next = slabs.objNext[slab];
        c.cpuFreelist[cpu] = next[head];
        next[head] = ALLOCATED;
        c.allocated++;
        return slabs.base[slab] + (long) head * c.size + c.redLeftPad;
    }

    /**
     * {@code get_partial_node} (mm/slub.c: ___slab_alloc() (6.1)): takes the first node-partial slab for the cpu and moves
     * more to the cpu partial list: up to more than {@code cpu_partial_slabs / 2} slabs (5.16+) or until
     * more than {@code cpu_partial / 2} free objects were taken (5.10).
     */
    private int getPartial(SlubCache c, int cpu) {
        int first = c.partialHead;
        if (first < 0) {
            return -1;
        }
        removePartial(c, first);
        c.stat(cpu, SlubStat.ALLOC_FROM_PARTIAL);
        if (!c.hasCpuPartial()) {
            return first;
        }
        if (rules.cpuPartialBySlabs()) {
            int moved = 0;
            if (c.cpuPartialSlabs == 0) {
                return first;
            }
            while (c.partialHead >= 0) {
                int s = c.partialHead;
                removePartial(c, s);
                putCpuPartial(c, cpu, s, false);
                c.stat(cpu, SlubStat.CPU_PARTIAL_NODE);
                if (++moved > c.cpuPartialSlabs / 2) {
                    break;
                }
            }
        } else {
            int available = slabs.objects[first] - slabs.inuse[first];
            while (available <= c.cpuPartial / 2 && c.partialHead >= 0) {
                int s = c.partialHead;
                removePartial(c, s);
                available += slabs.objects[s] - slabs.inuse[s];
                putCpuPartial(c, cpu, s, false);
                c.stat(cpu, SlubStat.CPU_PARTIAL_NODE);
            }
        }
        return first;
    }

    /** {@code allocate_slab} (mm/slub.c: alloc_slab_page() (6.1); mm/slab.c: kmem_getpages() (6.1)): preferred order without retry or warning, then the minimum order. */
    private int newSlab(SlubCache c, int gfp, int cpu) {
        int flags = (gfp & rules.reclaimMask()) | c.allocflags;
        int first = (flags | Gfp.NOWARN | Gfp.NORETRY) & ~Gfp.NOFAIL;
        if ((first & Gfp.DIRECT_RECLAIM) != 0 && c.ooOrder > c.minOrder) {
            first = (first | Gfp.NOMEMALLOC) & ~Gfp.RECLAIM;
        }
        int order = c.ooOrder;
        int objects = c.ooObjects;
        long pfn = pages.allocate(order, first, cpu);
        if (pfn == PageAllocator.NO_PAGE) {
            order = c.minOrder;
            objects = c.minObjects;
            pfn = pages.allocate(order, flags, cpu);
            if (pfn == PageAllocator.NO_PAGE) {
                return -1;
            }
            c.stat(cpu, SlubStat.ORDER_FALLBACK);
        }
        int id = slabs.newId();
        slabs.cache[id] = c.index;
        slabs.pfn[id] = pfn;
        slabs.base[id] = linearBase + (pfn << pageShift);
        slabs.order[id] = (byte) order;
        slabs.objects[id] = objects;
        slabs.inuse[id] = 0;
        slabs.next[id] = -1;
        slabs.prev[id] = -1;
        slabs.cpu[id] = -1;
        slabs.state[id] = SlubSlabs.FULL;
        buildFreelist(c, id, objects);
        if (c.debug) {
            debug.initSlab(c, id);
        }
        slabs.map(pfn, 1L << order, id + 1);
        c.nrSlabs++;
        c.totalObjects += objects;
        pagesTaken += 1L << order;
        account(c, (1L << (order + pageShift)));
        return id;
    }

    /** A new slab's freelist: ascending, or the cache's permutation from a random start (mm/slub.c: allocate_slab(), shuffle_freelist() (6.1)). */
    private void buildFreelist(SlubCache c, int id, int objects) {
        int[] next = slabs.objNextFor(id, objects);
        int[] seq = c.randomSeq;
        if (seq == null || objects < 2) {
            for (int i = 0; i < objects - 1; i++) {
                next[i] = i + 1;
            }
            next[objects - 1] = END;
            slabs.freelist[id] = 0;
            return;
        }
        int count = seq.length;
        int pos = random.nextInt(count);
        int head = END;
        int prev = END;
        for (int k = 0; k < count; k++) {
            int idx = seq[pos];
            pos = pos + 1 == count ? 0 : pos + 1;
            if (idx >= objects) {
                continue;
            }
            if (prev == END) {
                head = idx;
            } else {
                next[prev] = idx;
            }
            prev = idx;
        }
        next[prev] = END;
        slabs.freelist[id] = head;
    }

    private void account(SlubCache c, long bytes) {
        if ((c.flags & SlabFlags.RECLAIM_ACCOUNT) != 0) {
            reclaimableBytes += bytes;
        } else {
            unreclaimableBytes += bytes;
        }
    }

    private void discardSlab(SlubCache c, int slab, int cpu) {
        if (c.debug) {
            debug.beforeDiscard(c, slab);
        }
        int order = slabs.order[slab];
        pages.free(slabs.pfn[slab], order, cpu);
        slabs.map(slabs.pfn[slab], 1L << order, 0);
        c.nrSlabs--;
        c.totalObjects -= slabs.objects[slab];
        pagesReturned += 1L << order;
        account(c, -(1L << (order + pageShift)));
        slabs.releaseId(slab);
    }

    /** {@code kmalloc_large} (mm/slab_common.c: kmalloc_large() (6.1)): a compound page straight from the page allocator. */
    private long kmallocLarge(long size, int gfp, int cpu) {
        int order = KmallocClasses.getOrder(size, pageShift);
        if (order > pages.maxOrder()) {
            return NO_OBJECT;
        }
        int flags = (gfp & ~(Gfp.DMA32 | Gfp.HIGHMEM)) | Gfp.COMP;
        long pfn = pages.allocate(order, flags, cpu);
        if (pfn == PageAllocator.NO_PAGE) {
            return NO_OBJECT;
        }
        slabs.map(pfn, 1, -(order + 1));
        pagesTaken += 1L << order;
        largePages += 1L << order;
        unreclaimableBytes += 1L << (order + pageShift);
        return linearBase + (pfn << pageShift);
    }

    // ---------------------------------------------------------------- debug caches (mm/slub.c: alloc_debug_processing(), free_debug_processing() (6.1))

    /**
     * The locked debug path (mm/slub.c: alloc_debug_processing(), free_debug_processing() (6.1)): one object from the first node-partial slab, else from a new slab,
     * through {@code alloc_debug_processing}; a slab whose checks fail is retired and the next one tried.
     */
    private long allocDebug(SlubCache c, int gfp, int cpu, long orig) {
        c.stat(cpu, SlubStat.ALLOC_SLOWPATH);
        int op = orig < 0 ? SlubDebug.OP_CACHE_ALLOC : SlubDebug.OP_KMALLOC;
        for (int slab = c.partialHead; slab >= 0; ) {
            int nx = slabs.next[slab];
            int idx = popOne(c, slab);
            if (debug.allocProcessing(c, slab, idx, orig, gfp, cpu, op)) {
                if (slabs.freelist[slab] == END) {
                    removePartial(c, slab);
                }
                return slabs.base[slab] + (long) idx * c.size + c.redLeftPad;
            }
            retire(c, slab, idx);
            slab = nx;
        }
        int slab = newSlab(c, gfp, cpu);
        if (slab < 0) {
            return NO_OBJECT;
        }
        c.stat(cpu, SlubStat.ALLOC_SLAB);
        int idx = popOne(c, slab);
        if (!debug.allocProcessing(c, slab, idx, orig, gfp, cpu, op)) {
            retire(c, slab, idx);
            return NO_OBJECT;
        }
        if (slabs.freelist[slab] != END) {
            addPartial(c, slab, false);
        }
        return slabs.base[slab] + (long) idx * c.size + c.redLeftPad;
    }

    private int popOne(SlubCache c, int slab) {
        int[] next = slabs.objNext[slab];
        int head = slabs.freelist[slab];
        slabs.freelist[slab] = next[head];
        next[head] = ALLOCATED;
        slabs.inuse[slab]++;
        c.allocated++;
        return head;
    }

    /** After a failed allocation check: every object of the slab counts as used, the slab leaves its list (mm/slub.c: check_object(), init_object() (6.1)). */
    private void retire(SlubCache c, int slab, int idx) {
        int[] next = slabs.objNext[slab];
        next[idx] = SlubSlabs.LOST;
        c.allocated--;
        for (int i = 0; i < slabs.objects[slab]; i++) {
            if (next[i] != ALLOCATED) {
                next[i] = SlubSlabs.LOST;
            }
        }
        slabs.freelist[slab] = END;
        slabs.inuse[slab] = slabs.objects[slab];
        if (slabs.state[slab] == SlubSlabs.NODE_PARTIAL) {
            removePartial(c, slab);
        }
    }

    /**
     * A free into a debug cache: {@code free_debug_processing}, then {@code free_to_partial_list} (mm/slub.c: alloc_debug_processing(), free_debug_processing() (6.1)).
     * With F, misuse (not an object start, double free) is reported the kernel's way and the object is
     * not freed; without F it throws like every other cache.
     */
    private void freeDebugEntry(SlubCache c, int slab, long address, int cpu, int op) {
        int idx;
        if ((c.flags & SlabFlags.CONSISTENCY_CHECKS) != 0) {
            long off = address - slabs.base[slab] - c.redLeftPad;
            boolean start = off >= 0 && off < (long) slabs.objects[slab] * c.size && off % c.size == 0;
            idx = start ? (int) (off / c.size) : -1;
        } else {
            idx = objectIndex(c, slab, address);
        }
        if (!debug.freeProcessing(c, slab, idx, address, cpu, op)) {
            return;
        }
        int[] next = slabs.objNext[slab];
        if (next[idx] == ALLOCATED) {
            c.allocated--;
        } else if (next[idx] != SlubSlabs.LOST) {
            throw new IllegalStateException(c.name + ": object 0x" + Long.toHexString(address)
                    + " passed the free checks but is on the freelist");
        }
        c.stat(cpu, SlubStat.FREE_SLOWPATH);
        int prior = slabs.freelist[slab];
        next[idx] = prior;
        slabs.freelist[slab] = idx;
        slabs.inuse[slab]--;
        debug.linkFree(c, slab, idx);
        boolean discard = slabs.inuse[slab] == 0 && c.nrPartial >= c.minPartial;
        if (prior == END) {
            if (!discard && !debug.failed(slab)) {
                addPartial(c, slab, true);
                c.stat(cpu, SlubStat.FREE_ADD_PARTIAL);
            }
        } else if (discard) {
            removePartial(c, slab);
            c.stat(cpu, SlubStat.FREE_REMOVE_PARTIAL);
        }
        if (discard) {
            c.stat(cpu, SlubStat.FREE_SLAB);
            discardSlab(c, slab, cpu);
        }
    }

    // ---------------------------------------------------------------- freeing

    @Override
    public void free(int cacheId, long address, int cpu) {
        checkCpu(cpu);
        SlubCache c = cacheOf(cacheId);
        int slab = slabOf(address, "kmem_cache_free");
        if (slab < 0) {
            throw new IllegalArgumentException("kmem_cache_free(" + c.name + "): address is a large kmalloc, not an object: 0x"
                    + Long.toHexString(address));
        }
        if (slabs.cache[slab] != c.index) {
            SlubCache real = caches.get(slabs.cache[slab]);
            if ((c.flags & SlabFlags.CONSISTENCY_CHECKS) == 0 && !options.hardenedFreelist()) {
                throw new IllegalArgumentException("kmem_cache_free(" + c.name + "): object 0x" + Long.toHexString(address)
                        + " belongs to cache " + real.name);
            }
            wrongCache(c, real, slab, address);
            c = real;
        }
        if (c.debug) {
            freeDebugEntry(c, slab, address, cpu, SlubDebug.OP_CACHE_FREE);
            return;
        }
        freeObject(c, slab, objectIndex(c, slab, address), cpu);
    }

    /**
     * {@code cache_from_obj} with F or hardened freelists (mm/slub.c: slab_err(), print_trailer() (6.1)): the WARN text and the object's tracks;
     * the object is then freed into its real cache (6.1, 6.12; kmemsim does the same for 6.18).
     */
    private void wrongCache(SlubCache given, SlubCache real, int slab, long address) {
        StringBuilder out = debug.out();
        out.append("cache_from_obj: Wrong slab cache. ").append(given.name).append(" but object is from ")
                .append(real.name).append('\n');
        if (real.debug) {
            long off = address - slabs.base[slab] - real.redLeftPad;
            debug.printTracking(real, slab, (int) (off / real.size));
        }
        debug.r.emit(out);
    }

    @Override
    public void kfree(long address, int cpu) {
        checkCpu(cpu);
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return;
        }
        int slab = slabOf(address, "kfree");
        if (slab < 0) {
            freeLarge(address, cpu);
            return;
        }
        SlubCache c = caches.get(slabs.cache[slab]);
        if (c.debug) {
            freeDebugEntry(c, slab, address, cpu, SlubDebug.OP_KFREE);
            return;
        }
        freeObject(c, slab, objectIndex(c, slab, address), cpu);
    }

    private void freeObject(SlubCache c, int slab, int idx, int cpu) {
        int[] next = slabs.objNext[slab];
        c.allocated--;
        if (c.cpuSlab[cpu] == slab) {
            next[idx] = c.cpuFreelist[cpu];
            c.cpuFreelist[cpu] = idx;
            c.stats[cpu * SlubStat.COUNT + SlubStat.FREE_FASTPATH.ordinal()]++;
            return;
        }
        freeSlow(c, slab, idx, cpu);
    }

    /** {@code __slab_free} (mm/slub.c: __slab_free(), put_cpu_partial() (6.1) slow path). */
    private void freeSlow(SlubCache c, int slab, int idx, int cpu) {
        c.stat(cpu, SlubStat.FREE_SLOWPATH);
        int prior = slabs.freelist[slab];
        slabs.objNext[slab][idx] = prior;
        slabs.freelist[slab] = idx;
        int inuse = --slabs.inuse[slab];
        byte state = slabs.state[slab];
        if (state == SlubSlabs.CPU || (rules.cpuPartialFrozen() && state == SlubSlabs.CPU_PARTIAL)) {
            c.stat(cpu, SlubStat.FREE_FROZEN);
            return;
        }
        if (c.hasCpuPartial() && prior == END) {
            putCpuPartial(c, cpu, slab, true);
            c.stat(cpu, SlubStat.CPU_PARTIAL_FREE);
            return;
        }
        if ((inuse != 0 && prior != END) || state == SlubSlabs.CPU_PARTIAL) {
            return;
        }
        if (inuse == 0 && c.nrPartial >= c.minPartial) {
            if (prior != END) {
                removePartial(c, slab);
                c.stat(cpu, SlubStat.FREE_REMOVE_PARTIAL);
            }
            c.stat(cpu, SlubStat.FREE_SLAB);
            discardSlab(c, slab, cpu);
            return;
        }
        if (!c.hasCpuPartial() && prior == END) {
            addPartial(c, slab, false);
            c.stat(cpu, SlubStat.FREE_ADD_PARTIAL);
        }
    }

    /**
     * {@code put_cpu_partial} (mm/slub.c: __slab_free(), put_cpu_partial() (6.1)): pushes {@code slab} on this CPU's partial list; with {@code drain}
     * a full list (5.16+: {@code cpu_partial_slabs} slabs; 5.10: more than {@code cpu_partial} free
     * objects) is first detached and emptied to the node (CPU_PARTIAL_DRAIN).
     */
    private void putCpuPartial(SlubCache c, int cpu, int slab, boolean drain) {
        int old = c.cpuPartialHead[cpu];
        int count = 0;
        int objects = 0;
        int detached = -1;
        if (old >= 0) {
            boolean full = rules.cpuPartialBySlabs()
                    ? slabs.partialSlabs[old] >= c.cpuPartialSlabs
                    : slabs.partialObjects[old] > c.cpuPartial;
            if (drain && full) {
                detached = old;
                old = -1;
            } else {
                count = slabs.partialSlabs[old];
                objects = slabs.partialObjects[old];
            }
        }
        slabs.partialSlabs[slab] = count + 1;
        slabs.partialObjects[slab] = objects + slabs.objects[slab] - slabs.inuse[slab];
        slabs.next[slab] = old;
        slabs.state[slab] = SlubSlabs.CPU_PARTIAL;
        slabs.cpu[slab] = cpu;
        c.cpuPartialHead[cpu] = slab;
        if (detached >= 0) {
            putPartials(c, detached, cpu);
            c.stat(cpu, SlubStat.CPU_PARTIAL_DRAIN);
        }
    }

    /** Empties a detached cpu partial list to the node: free empty slabs past min_partial, else add at the tail. */
    private void putPartials(SlubCache c, int head, int cpu) {
        for (int s = head; s >= 0; ) {
            int nx = slabs.next[s];
            if (slabs.inuse[s] == 0 && c.nrPartial >= c.minPartial) {
                c.stat(cpu, SlubStat.DEACTIVATE_EMPTY);
                discardSlab(c, s, cpu);
                c.stat(cpu, SlubStat.FREE_SLAB);
            } else {
                addPartial(c, s, false);
                c.stat(cpu, SlubStat.FREE_ADD_PARTIAL);
            }
            s = nx;
        }
    }

    /** Flushes every CPU's cpu slab (deactivate, CPUSLAB_FLUSH) and cpu partial list. */
    private void flush(SlubCache c, int statCpu) {
        for (int cpu = 0; cpu < cpus; cpu++) {
            if (c.cpuSlab[cpu] >= 0) {
                deactivate(c, cpu, statCpu);
                c.stat(statCpu, SlubStat.CPUSLAB_FLUSH);
            }
            int head = c.cpuPartialHead[cpu];
            c.cpuPartialHead[cpu] = -1;
            putPartials(c, head, statCpu);
        }
    }

    /** {@code deactivate_slab} (mm/slub.c: ___slab_alloc() (6.1)): returns the cpu freelist to the slab and files the slab. */
    private void deactivate(SlubCache c, int cpu, int statCpu) {
        int slab = c.cpuSlab[cpu];
        int fl = c.cpuFreelist[cpu];
        c.cpuSlab[cpu] = -1;
        c.cpuFreelist[cpu] = END;
        boolean tail = false;
        if (slabs.freelist[slab] != END) {
            c.stat(statCpu, SlubStat.DEACTIVATE_REMOTE_FREES);
            tail = true;
        }
        if (fl != END) {
            int[] next = slabs.objNext[slab];
            int count = 1;
            int last = fl;
            while (next[last] != END) {
                last = next[last];
                count++;
            }
            next[last] = slabs.freelist[slab];
            slabs.freelist[slab] = fl;
            slabs.inuse[slab] -= count;
        }
        if (slabs.inuse[slab] == 0 && c.nrPartial >= c.minPartial) {
            c.stat(statCpu, SlubStat.DEACTIVATE_EMPTY);
            discardSlab(c, slab, statCpu);
            c.stat(statCpu, SlubStat.FREE_SLAB);
        } else if (slabs.freelist[slab] != END) {
            addPartial(c, slab, tail);
            c.stat(statCpu, tail ? SlubStat.DEACTIVATE_TO_TAIL : SlubStat.DEACTIVATE_TO_HEAD);
        } else {
            slabs.state[slab] = SlubSlabs.FULL;
            c.stat(statCpu, SlubStat.DEACTIVATE_FULL);
        }
    }

    private void freeLarge(long address, int cpu) {
        long rel = address - linearBase;
        long pfn = rel >>> pageShift;
        if ((rel & ((1L << pageShift) - 1)) != 0) {
            throw new IllegalArgumentException("kfree: address inside a large kmalloc, not its start: 0x"
                    + Long.toHexString(address));
        }
        int order = -slabs.lookup(pfn) - 1;
        slabs.map(pfn, 1, 0);
        pages.free(pfn, order, cpu);
        pagesReturned += 1L << order;
        largePages -= 1L << order;
        unreclaimableBytes -= 1L << (order + pageShift);
    }

    // ---------------------------------------------------------------- lists

    void addPartial(SlubCache c, int slab, boolean tail) {
        slabs.state[slab] = SlubSlabs.NODE_PARTIAL;
        slabs.cpu[slab] = -1;
        if (c.partialHead < 0) {
            slabs.next[slab] = -1;
            slabs.prev[slab] = -1;
            c.partialHead = slab;
            c.partialTail = slab;
        } else if (tail) {
            slabs.prev[slab] = c.partialTail;
            slabs.next[slab] = -1;
            slabs.next[c.partialTail] = slab;
            c.partialTail = slab;
        } else {
            slabs.next[slab] = c.partialHead;
            slabs.prev[slab] = -1;
            slabs.prev[c.partialHead] = slab;
            c.partialHead = slab;
        }
        c.nrPartial++;
    }

    void removePartial(SlubCache c, int slab) {
        int p = slabs.prev[slab];
        int n = slabs.next[slab];
        if (p >= 0) {
            slabs.next[p] = n;
        } else {
            c.partialHead = n;
        }
        if (n >= 0) {
            slabs.prev[n] = p;
        } else {
            c.partialTail = p;
        }
        slabs.next[slab] = -1;
        slabs.prev[slab] = -1;
        slabs.state[slab] = SlubSlabs.FULL;
        c.nrPartial--;
    }

    // ---------------------------------------------------------------- lookups

    /** The slab id holding {@code address}; −1 for the head of a large kmalloc; throws when nothing is there. */
    private int slabOf(long address, String op) {
        long rel = address - linearBase;
        int v = rel < 0 ? 0 : slabs.lookup(rel >>> pageShift);
        if (v == 0) {
            throw new IllegalArgumentException(op + ": address was not allocated by slub: 0x" + Long.toHexString(address));
        }
        return v > 0 ? v - 1 : -1;
    }

    private int objectIndex(SlubCache c, int slab, long address) {
        long off = address - slabs.base[slab] - c.redLeftPad;
        if (off < 0 || off >= (long) slabs.objects[slab] * c.size) {
            throw new IllegalArgumentException("free of an address that is not an object start in " + c.name
                    + ": 0x" + Long.toHexString(address));
        }
        int o = (int) off;
        int idx = o / c.size;
        if (idx * c.size != o) {
            throw new IllegalArgumentException("free of an address that is not an object start in " + c.name
                    + ": 0x" + Long.toHexString(address));
        }
        if (slabs.objNext[slab][idx] != ALLOCATED) {
            throw new IllegalArgumentException("double free of an object of " + c.name + ": 0x" + Long.toHexString(address));
        }
        return idx;
    }

    private void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException("cpu must be in [0, " + (cpus - 1) + "]: " + cpu);
        }
    }

    // ---------------------------------------------------------------- ksize, krealloc

    @Override
    public long ksize(long address) {
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return 0;
        }
        int slab = slabOf(address, "ksize");
        if (slab < 0) {
            return 1L << (pageShift - slabs.lookup((address - linearBase) >>> pageShift) - 1);
        }
        SlubCache c = caches.get(slabs.cache[slab]);
        int idx = objectIndex(c, slab, address);
        if (c.debug) {
            debug.skipOrigSizeCheck(c, slab, idx);
        }
        return slabKsize(c);
    }

    /** {@code slab_ksize} (mm/slab_common.c: __ksize(), ksize() (6.1)). */
    private static long slabKsize(SlubCache c) {
        if ((c.flags & (SlabFlags.RED_ZONE | SlabFlags.POISON)) != 0) {
            return c.objectSize;
        }
        if ((c.flags & (SlabFlags.TYPESAFE_BY_RCU | SlabFlags.STORE_USER)) != 0) {
            return c.inuse;
        }
        return c.size;
    }

    /**
     * {@code krealloc} (mm/slab_common.c: krealloc(), __do_krealloc() (6.1)): keeps the object when the new size fits its capacity ({@code ksize} up to
     * 6.12; from 6.13 the cache's {@code object_size}, or the page size of a large kmalloc), else
     * allocates anew, copies and frees the old object. Returns {@link #NO_OBJECT} (old object kept) on
     * failure. In a debug cache the bytes follow mm/slab_common.c: krealloc(), __do_krealloc() (6.1): zeroing with {@code __GFP_ZERO}, and from 6.13 the
     * new original size and the kmalloc red zone behind it. Bytes are copied only between debug caches
     * (other caches have no simulated bytes).
     */
    @Override
    public long krealloc(long address, long newSize, int gfp, int cpu) {
        checkCpu(cpu);
        if (newSize == 0) {
            kfree(address, cpu);
            return KmallocClasses.ZERO_SIZE_PTR;
        }
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return kmalloc(newSize, gfp, cpu);
        }
        int slab = slabOf(address, "krealloc");
        SlubCache c = slab < 0 ? null : caches.get(slabs.cache[slab]);
        int idx = c == null ? -1 : objectIndex(c, slab, address);
        boolean bytes = c != null && c.debug;
        long capacity;
        int copy;
        if (kernel.has(Feature.SLUB_KREALLOC_BY_CACHE)) {
            capacity = c == null ? ksize(address) : c.objectSize;
            copy = bytes ? debug.origSize(c, slab, idx) : (int) Math.min(capacity, Integer.MAX_VALUE);
            if (newSize <= capacity) {
                if (bytes) {
                    debug.kreallocInPlace(c, slab, idx, (int) newSize, gfp);
                }
                return address;
            }
        } else {
            capacity = ksize(address);
            copy = (int) Math.min(capacity, Integer.MAX_VALUE);
            if (newSize <= capacity) {
                if (bytes && (gfp & Gfp.ZERO) != 0) {
                    debug.zero(c, slab, idx, (int) newSize, (int) capacity);
                }
                return address;
            }
        }
        long fresh = kmalloc(newSize, gfp, cpu);
        if (fresh != NO_OBJECT) {
            int to = slabOf(fresh, "krealloc");
            if (bytes && to >= 0 && caches.get(slabs.cache[to]).debug) {
                SlubCache d = caches.get(slabs.cache[to]);
                debug.copy(c, slab, idx, d, to, objectIndex(d, to, fresh), copy);
            }
            kfree(address, cpu);
        }
        return fresh;
    }

    @Override
    public void shrink(int cacheId) {
        shrink(cacheId, 0);
    }

    // ---------------------------------------------------------------- slub_debug access (mm/slub.c: setup_slub_debug() (6.1); lib/slub_kunit.c: test_cases[] (6.1))

    /**
     * {@code validate_slab_cache} (mm/slub.c: validate_slab_cache() (6.1)): the sysfs {@code validate} file; reports go to {@link #reports()}.
     *
     * @throws IllegalArgumentException for a cache without debug flags (the kernel answers -EINVAL)
     */
    void validate(int cacheId) {
        SlubCache c = cacheOf(cacheId);
        if (!c.debug) {
            throw new IllegalArgumentException("validate: cache " + c.name + " has no debug flags (-EINVAL)");
        }
        flush(c, 0);
        SlubValidator.validate(this, c);
    }

    /**
     * Writes {@code data} at {@code address + offset} inside the slab of a debug-cache object (the object,
     * its red zones and metadata, or anywhere in its slab, e.g. the tail padding): what a buggy kernel
     * caller would scribble. Used by the kunit scenarios (lib/slub_kunit.c: test_cases[] (6.1)).
     *
     * @throws IllegalArgumentException when the address is not in a debug slab or the range leaves the slab
     */
    void write(long address, long offset, byte[] data) {
        int slab = debugSlab(address, "write");
        long at = address + offset - slabs.base[slab];
        if (at < 0 || at + data.length > (1L << (pageShift + slabs.order[slab]))) {
            throw new IllegalArgumentException("write: range leaves the slab: 0x" + Long.toHexString(address) + " + " + offset);
        }
        debug.write(slab, (int) at, data);
    }

    /** Reads {@code length} simulated bytes at {@code address + offset} inside a debug slab. */
    byte[] read(long address, long offset, int length) {
        int slab = debugSlab(address, "read");
        long at = address + offset - slabs.base[slab];
        if (at < 0 || at + length > (1L << (pageShift + slabs.order[slab]))) {
            throw new IllegalArgumentException("read: range leaves the slab: 0x" + Long.toHexString(address) + " + " + offset);
        }
        return debug.read(slab, (int) at, length);
    }

    private int debugSlab(long address, String op) {
        int slab = slabOf(address, op);
        if (slab < 0 || !caches.get(slabs.cache[slab]).debug) {
            throw new IllegalArgumentException(op + ": bytes are simulated only in debug caches: 0x" + Long.toHexString(address));
        }
        return slab;
    }

    /** The slub_debug reports so far (mm/slub.c: slab_err(), print_trailer() (6.1)), one string per operation and slab, oldest first; never printed. */
    List<String> reports() {
        return debug.r.reports();
    }

    void clearReports() {
        debug.r.clearReports();
    }

    /** The kunit {@code slab_errors} count (lib/slub_kunit.c: slab_errors (6.1)) since the last {@link #resetErrors()}. */
    int errors() {
        return debug.r.errors();
    }

    void resetErrors() {
        debug.r.resetErrors();
    }

    /** The text of {@code /sys/kernel/slab/<cache>/<name>} (mm/slub.c: slab_attrs[] (6.1)), newline included. */
    String sysfsAttribute(int cacheId, String name) {
        return SlubSysfs.render(this, cacheOf(cacheId), name);
    }

    /** The attribute names {@link #sysfsAttribute} renders. */
    List<String> sysfsAttributes() {
        List<String> names = new ArrayList<>(SlubSysfs.names());
        if (!zoneDma) {
            names.remove("cache_dma");
        }
        return names;
    }

    boolean zoneDma() {
        return zoneDma;
    }

    /** Records simulated time for the U tracks' {@code age=} (jiffies). */
    @Override
    public void tick(long nowNanos) {
        debug.nowNanos = nowNanos;
    }

    /**
     * What the free pointer word of the free object at {@code address} would hold (mm/slub.c: allocate_slab(), shuffle_freelist() (6.1)): the next free
     * object's address (0 at the end), XORed with the cache key and the byte-swapped slot address when
     * hardened freelists are on. Only objects on a slab freelist or a cpu freelist have one.
     */
    long freePointerWord(long address) {
        int slab = slabOf(address, "freePointerWord");
        SlubCache c = caches.get(slabs.cache[slab]);
        long off = address - slabs.base[slab] - c.redLeftPad;
        int idx = (int) (off / c.size);
        int nx = slabs.objNext[slab][idx];
        if (nx == ALLOCATED) {
            throw new IllegalArgumentException("object is allocated, it has no free pointer: 0x" + Long.toHexString(address));
        }
        long target = nx == END ? 0L : slabs.base[slab] + (long) nx * c.size + c.redLeftPad;
        if (!options.hardenedFreelist()) {
            return target;
        }
        return target ^ c.random ^ Long.reverseBytes(address + c.offset);
    }

    // ---------------------------------------------------------------- reporting

    @Override
    public List<CacheInfo> slabinfo() {
        List<CacheInfo> rows = new ArrayList<>();
        for (int i = caches.size() - 1; i >= 0; i--) {
            SlubCache c = caches.get(i);
            if (!c.live) {
                continue;
            }
            long partialFree = 0;
            for (int s = c.partialHead; s >= 0; s = slabs.next[s]) {
                partialFree += slabs.objects[s] - slabs.inuse[s];
            }
            rows.add(new CacheInfo(c.name, c.totalObjects - partialFree, c.totalObjects, c.size, c.ooObjects,
                    1 << c.ooOrder, 0, 0, 0, c.nrSlabs, c.nrSlabs, 0));
        }
        return rows;
    }

    /**
     * Counters: first the CONFIG_SLUB_STATS totals over all live caches as {@code slub.<stat>} (sysfs
     * names, include/linux/slub_def.h: enum stat_item (6.1)), then {@code slub.nr_slab_reclaimable_B} and {@code slub.nr_slab_unreclaimable_B}
     * (bytes, large kmalloc included, mm/slub.c: alloc_slab_page() (6.1); mm/slab.c: kmem_getpages() (6.1)), then per live cache in creation order
     * {@code slub.<cache>.<stat>}.
     */
    @Override
    public void forEachCounter(CounterVisitor visitor) {
        for (int s = 0; s < SlubStat.COUNT; s++) {
            SlubStat st = SlubStat.of(s);
            long sum = 0;
            for (SlubCache c : caches) {
                if (c.live) {
                    sum += c.statTotal(st);
                }
            }
            visitor.counter("slub." + st.fileName(), sum);
        }
        visitor.counter("slub.nr_slab_reclaimable_B", reclaimableBytes);
        visitor.counter("slub.nr_slab_unreclaimable_B", unreclaimableBytes);
        for (SlubCache c : caches) {
            if (c.live) {
                for (int s = 0; s < SlubStat.COUNT; s++) {
                    SlubStat st = SlubStat.of(s);
                    visitor.counter("slub." + c.name + "." + st.fileName(), c.statTotal(st));
                }
            }
        }
    }

    @Override
    public void checkInvariants() {
        SlubInvariants.check(this);
    }
}
