package io.kmemsim.slab;

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

/**
 * SLAB over the {@link PageAllocator} SPI (mm/slab.c: __kmem_cache_create() (6.1); include/linux/slab.h: __kmalloc_index() (6.1); mm/slab_common.c: find_mergeable(), cache_show() (6.1); mm/slub.c: alloc_slab_page() (6.1)), one memory node.
 *
 * <p>Notes:
 * <ul>
 *   <li>Addresses: linear-map address of the slab's first page plus the colour offset plus
 *       {@code i × size}. PAGE_OFFSET as in the slub plugin: {@code 0xffff000000000000} on arm64,
 *       {@code 0xffff888000000000} on x86-64.</li>
 *   <li>Allocation (mm/slab.c: ____cache_alloc(), cache_alloc_refill() (6.1)): pop the CPU array (allochit); else refill (allocmiss) with a batch (at most 16
 *       when the array was not touched) from the top of the shared array, else from the first partial or
 *       free slab, else grow one slab (colour_next advances first) and fill from it.</li>
 *   <li>Free (mm/slab.c: ___cache_free(), cache_flusharray() (6.1)): push on the CPU array (freehit); when full (freemiss) flush {@code batchcount} of the
 *       oldest entries to the shared array if it has room, else back to their slabs ({@code free_block}:
 *       empty slabs go to the head of slabs_free, others to the tail of slabs_partial, then slabs are
 *       destroyed from the tail of slabs_free while free objects exceed {@code free_limit}).</li>
 *   <li>Reaping (mm/slab.c: cache_reap() (6.1)) runs from {@link #tick}: per CPU first at 1 s, then every 2 s
 *       ({@code REAPTIMEOUT_AC}; the kernel's rounding to whole seconds and per-CPU skew are not modelled);
 *       node-level work per cache every 4 s ({@code REAPTIMEOUT_NODE}), first 4 s after creation plus a
 *       stagger of {@code (cache index × 250 ms) mod 4 s} (the kernel staggers by the cache's address).</li>
 *   <li>No CONFIG_DEBUG_SLAB layout: RED_ZONE, POISON and STORE_USER (and SLUB's TRACE and
 *       CONSISTENCY_CHECKS) are dropped at creation, as {@code CACHE_CREATE_MASK} does without it. The
 *       statistics of mm/slab.c: slabinfo_show_stats() (6.1) are kept as counters. No NUMA alien caches, no freelist randomization, no
 *       bootstrap caches ({@code kmem_cache}, {@code kmalloc-node}) in the rows, TYPESAFE_BY_RCU slabs are
 *       freed at once.</li>
 *   <li>Hot paths ({@link #alloc}, {@link #free}, {@link #kmalloc}, {@link #kfree} served by the CPU
 *       array) do not allocate.</li>
 * </ul>
 */
final class SlabObjectCache implements ObjectCache {

    static final long ARM64_PAGE_OFFSET = 0xffff000000000000L;
    static final long X86_64_PAGE_OFFSET = 0xffff888000000000L;
    /** {@code BATCHREFILL_LIMIT}. */
    static final int BATCHREFILL_LIMIT = 16;
    /** {@code REAPTIMEOUT_AC}: 2 s. */
    static final long REAP_AC_NANOS = 2_000_000_000L;
    /** {@code REAPTIMEOUT_NODE}: 4 s. */
    static final long REAP_NODE_NANOS = 4_000_000_000L;
    /** The first reap of a CPU: about 1 s after it comes online. */
    static final long FIRST_REAP_NANOS = 1_000_000_000L;

    /** {@code GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK} (mm/slub.c: alloc_slab_page() (6.1); mm/slab.c: kmem_getpages() (6.1)). */
    static final int GFP_KEEP = Gfp.RECLAIM | Gfp.HIGH | Gfp.IO | Gfp.FS | Gfp.NOWARN | Gfp.RETRY_MAYFAIL
            | Gfp.NOFAIL | Gfp.NORETRY | Gfp.MEMALLOC | Gfp.NOMEMALLOC | Gfp.HARDWALL | Gfp.THISNODE;

    /** Flags CACHE_CREATE_MASK drops without CONFIG_DEBUG_SLAB. */
    static final long DROPPED_DEBUG = SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER
            | SlabFlags.TRACE | SlabFlags.CONSISTENCY_CHECKS;

    final KernelVersion kernel;
    final SlabOptions options;
    final int cpus;
    final int pageShift;
    final long linearBase;
    final PageAllocator pages;
    final SlabKmalloc kmallocClasses;
    final SlabSlabs slabs = new SlabSlabs();
    final List<SlabCache> caches = new ArrayList<>();
    private final int keepMask;
    private final int kmallocMaxOrder;
    private final int slotStride;
    private final int[] kmallocSlot;
    private final long[] nextCpuReap;
    private int[] idToCache = new int[16];
    private int nextId;
    private long now;

    long largePages;
    long reclaimableBytes;
    long unreclaimableBytes;

    SlabObjectCache(ProviderContext ctx, SlabOptions options) {
        this.kernel = ctx.kernel();
        this.options = options;
        this.cpus = ctx.cpus();
        this.pageShift = ctx.kernelConfig().pageSize().shift();
        this.pages = ctx.pageAllocator();
        KmallocClasses.Arch arch = KmallocClasses.Arch.parse(options.arch());
        this.linearBase = arch == KmallocClasses.Arch.ARM64 ? ARM64_PAGE_OFFSET : X86_64_PAGE_OFFSET;
        this.keepMask = kernel.hasGfpAtomic() ? GFP_KEEP | Gfp.ATOMIC : GFP_KEEP;
        this.kmallocMaxOrder = Math.min(pages.maxOrder(), 10);
        this.kmallocClasses = new SlabKmalloc(kernel, ctx.kernelConfig().pageSize(), pages.maxOrder(), arch,
                ctx.kernelConfig().zoneDma(), options.memcgKmem());
        this.nextCpuReap = new long[cpus];
        Arrays.fill(nextCpuReap, FIRST_REAP_NANOS);
        Arrays.fill(idToCache, -1);
        this.slotStride = Math.max(kmallocClasses.shiftHigh(), KmallocClasses.MAX_NAMED_INDEX) + 1;
        this.kmallocSlot = new int[KmallocClasses.Type.values().length * slotStride];
        Arrays.fill(kmallocSlot, -1);
        for (KmallocClasses.Cache k : kmallocClasses.caches()) {
            SlabCache c = newCache(k.name(), k.size(), k.align(), k.flags(), false, true);
            kmallocSlot[k.type().ordinal() * slotStride + k.index()] = c.index;
        }
    }

    // ---------------------------------------------------------------- caches

    private SlabCache newCache(String name, int objectSize, int requestedAlign, long flags, boolean ctor, boolean kmalloc) {
        int align = CacheAlignment.calculate(flags, requestedAlign, objectSize, options.cacheLineSize());
        SlabGeometry.Geometry g = SlabGeometry.create(objectSize, align, flags, ctor, options.cacheLineSize(),
                options.slabMaxOrder(), kmallocMaxOrder, pageShift, this::freelistHolderSize);
        if (g == null) {
            throw new IllegalArgumentException("kmem_cache_create(" + name + "): no slab order up to "
                    + kmallocMaxOrder + " holds one object of size " + objectSize + " (-E2BIG)");
        }
        int pageSize = 1 << pageShift;
        int limit = SlabGeometry.limit(g.size(), pageSize);
        int shared = SlabGeometry.sharedFactor(g.size(), pageSize, cpus);
        int allocflags = Gfp.COMP
                | ((flags & SlabFlags.CACHE_DMA) != 0 ? Gfp.DMA : 0)
                | ((flags & SlabFlags.CACHE_DMA32) != 0 ? Gfp.DMA32 : 0)
                | ((flags & SlabFlags.RECLAIM_ACCOUNT) != 0 ? Gfp.RECLAIMABLE : 0);
        int index = caches.size();
        boolean mergeable = !kmalloc && !ctor && options.merge() && (flags & SlabFlags.neverMerge(kernel)) == 0;
        long stagger = (index * 250_000_000L) % REAP_NODE_NANOS;
        SlabCache c = new SlabCache(index, name, flags, ctor, kmalloc, mergeable, objectSize, g, limit, shared,
                allocflags, cpus, now + REAP_NODE_NANOS + stagger);
        caches.add(c);
        return c;
    }

    /**
     * The stride of what would hold an off-slab free-index array of {@code bytes} (mm/slab.c: set_free_obj(), cache_init_objs() (6.1)): the NORMAL
     * kmalloc cache for it when it exists and is not itself off-slab; a whole compound page above the
     * largest kmalloc cache (6.1).
     */
    private int freelistHolderSize(int bytes) {
        int idx = kmallocClasses.index(bytes);
        if (idx < 0) {
            return kmallocClasses.largeKmalloc() ? 1 << (pageShift + KmallocClasses.getOrder(bytes, pageShift))
                    : SlabGeometry.NO_FREELIST_CACHE;
        }
        int ci = kmallocSlot[KmallocClasses.Type.NORMAL.ordinal() * slotStride + idx];
        if (ci < 0 || caches.get(ci).geometry.placement() == SlabGeometry.Placement.OFF_SLAB) {
            return SlabGeometry.NO_FREELIST_CACHE;
        }
        return caches.get(ci).size;
    }

    @Override
    public int createCache(CacheSpec spec) {
        if (spec.size() > kmallocClasses.maxSize()) {
            throw new IllegalArgumentException("kmem_cache_create(" + spec.name() + "): size must be <= KMALLOC_MAX_SIZE "
                    + kmallocClasses.maxSize() + ": " + spec.size());
        }
        long flags = spec.flags() & ~DROPPED_DEBUG;
        SlabCache target = findMergeable(spec, flags);
        if (target != null) {
            target.refcount++;
            target.objectSize = Math.max(target.objectSize, spec.size());
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

    /** {@code find_mergeable} (mm/slab_common.c: find_mergeable(), slab_unmergeable() (6.1)) with SLAB's extra alignment test: the oldest compatible cache, or null. */
    private SlabCache findMergeable(CacheSpec spec, long flags) {
        if (!options.merge() || spec.ctor() || (flags & SlabFlags.neverMerge(kernel)) != 0) {
            return null;
        }
        int align = CacheAlignment.calculate(flags, spec.align(), spec.size(), options.cacheLineSize());
        int size = CacheAlignment.alignUp(CacheAlignment.alignUp(spec.size(), CacheAlignment.WORD), align);
        for (SlabCache s : caches) {
            int sAlign = s.geometry.align();
            if (!s.live || !s.mergeable || size > s.size
                    || (flags & SlabFlags.MERGE_SAME) != (s.flags & SlabFlags.MERGE_SAME)
                    || (s.size & (align - 1)) != 0 || s.size - size >= CacheAlignment.WORD
                    || align > sAlign || sAlign % align != 0) {
                continue;
            }
            return s;
        }
        return null;
    }

    private SlabCache cacheOf(int cacheId) {
        if (cacheId < 0 || cacheId >= nextId || idToCache[cacheId] < 0) {
            throw new IllegalArgumentException("unknown cache id: " + cacheId);
        }
        return caches.get(idToCache[cacheId]);
    }

    /** The internal cache behind a user cache id (tests). */
    SlabCache cache(int cacheId) {
        return cacheOf(cacheId);
    }

    /** The kmalloc cache with {@code name}, or null. */
    SlabCache kmallocCache(String name) {
        for (SlabCache c : caches) {
            if (c.kmalloc && c.name.equals(name)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public void destroyCache(int cacheId) {
        SlabCache c = cacheOf(cacheId);
        if (c.refcount == 1 && c.allocated > 0) {
            throw new IllegalArgumentException("kmem_cache_destroy " + c.name + ": Slab cache still has objects ("
                    + c.allocated + " in use)");
        }
        idToCache[cacheId] = -1;
        if (--c.refcount > 0) {
            return;
        }
        shrink(c);
        c.live = false;
    }

    /**
     * {@code kmem_cache_shrink} (mm/slab.c: cache_reap() (6.1)): drains every CPU array and the shared array completely, then frees
     * every slab on slabs_free.
     */
    void shrink(SlabCache c) {
        for (int cpu = 0; cpu < cpus; cpu++) {
            int n = c.cpuAvail[cpu];
            c.cpuAvail[cpu] = 0;
            freeBlock(c, c.cpuEntries[cpu], n, cpu);
        }
        int n = c.sharedAvail;
        c.sharedAvail = 0;
        freeBlock(c, c.sharedEntries, n, 0);
        drainFreelist(c, Integer.MAX_VALUE, 0);
    }

    /**
     * {@code kmem_cache_shrink} of a user cache id (mm/slab_common.c: kmem_cache_destroy() (6.1); mm/slab.c: cache_reap() (6.1)). Public so that it implements the api's
     * {@code shrink} where the api has it.
     */
    public void shrink(int cacheId) {
        shrink(cacheOf(cacheId));
    }

    /**
     * {@code krealloc} as in 5.10 – 6.12 (mm/slab_common.c: krealloc(), __do_krealloc() (6.1)): keeps the object when {@code ksize} (SLAB's object_size,
     * or a large kmalloc's page size) holds {@code newSize}, else kmallocs anew and frees the old object;
     * returns {@link #NO_OBJECT} with the old object kept on failure. Public so that it implements the
     * api's {@code krealloc} where the api has it.
     */
    public long krealloc(long address, long newSize, int gfp, int cpu) {
        checkCpu(cpu);
        if (newSize == 0) {
            kfree(address, cpu);
            return KmallocClasses.ZERO_SIZE_PTR;
        }
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return kmalloc(newSize, gfp, cpu);
        }
        if (newSize <= ksize(address)) {
            return address;
        }
        long fresh = kmalloc(newSize, gfp, cpu);
        if (fresh != NO_OBJECT) {
            kfree(address, cpu);
        }
        return fresh;
    }

    // ---------------------------------------------------------------- allocation

    @Override
    public long alloc(int cacheId, int gfp, int cpu) {
        checkCpu(cpu);
        return allocObject(cacheOf(cacheId), gfp, cpu);
    }

    @Override
    public long kmalloc(long size, int gfp, int cpu) {
        checkCpu(cpu);
        if (size < 0) {
            throw new IllegalArgumentException("kmalloc size must be >= 0: " + size);
        }
        if (size == 0) {
            return KmallocClasses.ZERO_SIZE_PTR;
        }
        int idx = kmallocClasses.index(size);
        if (idx < 0) {
            return kmallocClasses.largeKmalloc() ? kmallocLarge(size, gfp, cpu) : NO_OBJECT;
        }
        int ci = kmallocSlot[kmallocClasses.type(gfp).ordinal() * slotStride + idx];
        return allocObject(caches.get(ci), gfp, cpu);
    }

    /** {@code ____cache_alloc} (mm/slab.c: ____cache_alloc(), cache_alloc_refill() (6.1)). */
    private long allocObject(SlabCache c, int gfp, int cpu) {
        int avail = c.cpuAvail[cpu];
        if (avail > 0) {
            c.cpuTouched[cpu] = true;
            long obj = c.cpuEntries[cpu][--avail];
            c.cpuAvail[cpu] = avail;
            c.stats[SlabStat.ALLOCHIT.ordinal()]++;
            handOut(c, obj);
            return obj;
        }
        c.stat(SlabStat.ALLOCMISS);
        return refill(c, gfp, cpu);
    }

    private void handOut(SlabCache c, long obj) {
        int s = slabOf(obj, "alloc");
        slabs.objState[s][(int) ((obj - slabs.sMem[s]) / c.size)] = SlabSlabs.OBJ_USER;
        c.allocated++;
    }

    /** {@code cache_alloc_refill} (mm/slab.c: ____cache_alloc(), cache_alloc_refill() (6.1)). */
    private long refill(SlabCache c, int gfp, int cpu) {
        int batch = c.batchcount;
        if (!c.cpuTouched[cpu] && batch > BATCHREFILL_LIMIT) {
            batch = BATCHREFILL_LIMIT;
        }
        if (c.freeObjects > 0 || c.sharedAvail > 0) {
            if (transferFromShared(c, cpu, batch) > 0) {
                c.sharedTouched = true;
            } else {
                while (batch > 0) {
                    int s = firstSlab(c);
                    if (s < 0) {
                        break;
                    }
                    batch = allocBlock(c, cpu, s, batch);
                    fixupSlabList(c, s);
                }
                c.freeObjects -= c.cpuAvail[cpu];
            }
        }
        if (c.cpuAvail[cpu] == 0) {
            int s = grow(c, exactNode(gfp), cpu);
            if (s >= 0) {
                allocBlock(c, cpu, s, batch);
                growEnd(c, s);
            }
            if (c.cpuAvail[cpu] == 0) {
                return NO_OBJECT;
            }
        }
        c.cpuTouched[cpu] = true;
        long obj = c.cpuEntries[cpu][--c.cpuAvail[cpu]];
        handOut(c, obj);
        return obj;
    }

    /** {@code gfp_exact_node}: node-exact without reclaim on NUMA kernels; only __GFP_NOFAIL dropped otherwise (mm/slub.c: alloc_slab_page() (6.1); mm/slab.c: kmem_getpages() (6.1)). */
    private int exactNode(int gfp) {
        if (options.numa()) {
            return (gfp | Gfp.THISNODE | Gfp.NOWARN) & ~(Gfp.RECLAIM | Gfp.NOFAIL);
        }
        return gfp & ~Gfp.NOFAIL;
    }

    /** {@code transfer_objects}: up to {@code max} pointers from the top of the shared array. */
    private int transferFromShared(SlabCache c, int cpu, int max) {
        int nr = Math.min(Math.min(c.sharedAvail, max), c.limit - c.cpuAvail[cpu]);
        if (nr <= 0) {
            return 0;
        }
        System.arraycopy(c.sharedEntries, c.sharedAvail - nr, c.cpuEntries[cpu], c.cpuAvail[cpu], nr);
        c.sharedAvail -= nr;
        c.cpuAvail[cpu] += nr;
        return nr;
    }

    /** {@code get_first_slab}: the first partial slab, else the first free one (free_touched, free_slabs−−). */
    private int firstSlab(SlabCache c) {
        int s = c.listHead[SlabSlabs.PARTIAL];
        if (s >= 0) {
            return s;
        }
        c.freeTouched = true;
        s = c.listHead[SlabSlabs.FREE];
        if (s >= 0) {
            c.freeSlabs--;
        }
        return s;
    }

    /** {@code alloc_block}: moves objects of slab {@code s} into the CPU array while the batch lasts. */
    private int allocBlock(SlabCache c, int cpu, int s, int batch) {
        int[] idx = slabs.freeIdx[s];
        byte[] state = slabs.objState[s];
        long[] entries = c.cpuEntries[cpu];
        while (slabs.active[s] < c.num && batch-- > 0) {
            int i = idx[slabs.active[s]++];
            state[i] = SlabSlabs.OBJ_CACHED;
            entries[c.cpuAvail[cpu]++] = slabs.sMem[s] + (long) i * c.size;
            c.stats[SlabStat.LISTALLOCS.ordinal()]++;
            c.numActive++;
        }
        c.high(SlabStat.MAXOBJS, c.numActive);
        return batch;
    }

    /** {@code fixup_slab_list}: to the head of slabs_full when full, else of slabs_partial. */
    private void fixupSlabList(SlabCache c, int s) {
        unlink(c, s);
        addHead(c, s, slabs.active[s] == c.num ? SlabSlabs.FULL : SlabSlabs.PARTIAL);
    }

    /** {@code cache_grow_begin} (mm/slab.c: ____cache_alloc() (6.1); mm/slub.c: alloc_slab_page() (6.1)): one page-allocator attempt, colour, free-index array, objects. */
    private int grow(SlabCache c, int gfp, int cpu) {
        int local = gfp & keepMask;
        long pfn = pages.allocate(c.order, local | c.allocflags, cpu);
        if (pfn == PageAllocator.NO_PAGE) {
            return -1;
        }
        c.colourNext++;
        if (c.colourNext >= c.geometry.colour()) {
            c.colourNext = 0;
        }
        int offset = (c.colourNext >= c.geometry.colour() ? 0 : c.colourNext) * c.geometry.colourOff();
        long freelist = 0;
        if (c.geometry.placement() == SlabGeometry.Placement.OFF_SLAB) {
            freelist = kmalloc(c.geometry.freelistSize(), local, cpu);
            if (freelist == NO_OBJECT) {
                pages.free(pfn, c.order, cpu);
                return -1;
            }
        }
        int id = slabs.newId(c.num);
        slabs.cache[id] = c.index;
        slabs.pfn[id] = pfn;
        slabs.colourOff[id] = offset;
        slabs.sMem[id] = linearBase + (pfn << pageShift) + offset;
        slabs.order[id] = (byte) c.order;
        slabs.active[id] = 0;
        slabs.list[id] = SlabSlabs.UNLISTED;
        slabs.next[id] = -1;
        slabs.prev[id] = -1;
        slabs.offSlabFreelist[id] = freelist;
        int[] idx = slabs.freeIdx[id];
        byte[] state = slabs.objState[id];
        for (int i = 0; i < c.num; i++) {
            idx[i] = i;
            state[i] = SlabSlabs.OBJ_FREE;
        }
        slabs.map(pfn, 1L << c.order, id + 1);
        account(c, 1L << (c.order + pageShift));
        return id;
    }

    /** {@code cache_grow_end}: links the new slab, counts it (grown) and its free objects. */
    private void growEnd(SlabCache c, int s) {
        c.totalSlabs++;
        if (slabs.active[s] == 0) {
            addTail(c, s, SlabSlabs.FREE);
            c.freeSlabs++;
        } else {
            fixupSlabList(c, s);
        }
        c.stat(SlabStat.GROWN);
        c.freeObjects += c.num - slabs.active[s];
    }

    private void account(SlabCache c, long bytes) {
        if ((c.flags & SlabFlags.RECLAIM_ACCOUNT) != 0) {
            reclaimableBytes += bytes;
        } else {
            unreclaimableBytes += bytes;
        }
    }

    /** {@code kmalloc_large} (6.1, mm/slab_common.c: kmalloc_large() (6.1)): a compound page straight from the page allocator. */
    private long kmallocLarge(long size, int gfp, int cpu) {
        int order = KmallocClasses.getOrder(size, pageShift);
        if (order > pages.maxOrder()) {
            return NO_OBJECT;
        }
        long pfn = pages.allocate(order, (gfp & ~(Gfp.DMA32 | Gfp.HIGHMEM)) | Gfp.COMP, cpu);
        if (pfn == PageAllocator.NO_PAGE) {
            return NO_OBJECT;
        }
        slabs.map(pfn, 1, -(order + 1));
        largePages += 1L << order;
        unreclaimableBytes += 1L << (order + pageShift);
        return linearBase + (pfn << pageShift);
    }

    // ---------------------------------------------------------------- freeing

    @Override
    public void free(int cacheId, long address, int cpu) {
        checkCpu(cpu);
        SlabCache c = cacheOf(cacheId);
        int s = slabOf(address, "kmem_cache_free");
        if (s < 0) {
            throw new IllegalArgumentException("kmem_cache_free(" + c.name + "): address is a large kmalloc, not an object: 0x"
                    + Long.toHexString(address));
        }
        if (slabs.cache[s] != c.index) {
            throw new IllegalArgumentException("kmem_cache_free(" + c.name + "): object 0x" + Long.toHexString(address)
                    + " belongs to cache " + caches.get(slabs.cache[s]).name);
        }
        freeObject(c, s, address, cpu);
    }

    @Override
    public void kfree(long address, int cpu) {
        checkCpu(cpu);
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return;
        }
        int s = slabOf(address, "kfree");
        if (s < 0) {
            freeLarge(address, cpu);
            return;
        }
        freeObject(caches.get(slabs.cache[s]), s, address, cpu);
    }

    /** {@code ___cache_free} (mm/slab.c: ___cache_free(), cache_flusharray() (6.1)). */
    private void freeObject(SlabCache c, int s, long address, int cpu) {
        int i = objectIndex(c, s, address);
        slabs.objState[s][i] = SlabSlabs.OBJ_CACHED;
        c.allocated--;
        if (c.cpuAvail[cpu] < c.limit) {
            c.stats[SlabStat.FREEHIT.ordinal()]++;
        } else {
            c.stat(SlabStat.FREEMISS);
            flushArray(c, cpu);
        }
        c.cpuEntries[cpu][c.cpuAvail[cpu]++] = address;
    }

    /** {@code cache_flusharray} (mm/slab.c: ___cache_free(), cache_flusharray() (6.1)): the oldest {@code batchcount} entries to the shared array or the slabs. */
    private void flushArray(SlabCache c, int cpu) {
        long[] entries = c.cpuEntries[cpu];
        int batch = c.batchcount;
        int room = c.sharedEntries.length - c.sharedAvail;
        if (room > 0) {
            batch = Math.min(batch, room);
            System.arraycopy(entries, 0, c.sharedEntries, c.sharedAvail, batch);
            c.sharedAvail += batch;
        } else {
            freeBlock(c, entries, batch, cpu);
        }
        c.high(SlabStat.MAXFREEABLE, c.freeSlabs);
        int left = c.cpuAvail[cpu] - batch;
        System.arraycopy(entries, batch, entries, 0, left);
        c.cpuAvail[cpu] = left;
    }

    /**
     * {@code free_block} (mm/slab.c: ___cache_free(), cache_flusharray() (6.1)): returns {@code entries[0, n)} to their slabs, then destroys slabs
     * from the tail of slabs_free while free objects exceed {@code free_limit} (in the kernel's order:
     * the last one chosen is destroyed first).
     */
    private void freeBlock(SlabCache c, long[] entries, int n, int cpu) {
        if (n == 0) {
            return;
        }
        c.freeObjects += n;
        for (int k = 0; k < n; k++) {
            long obj = entries[k];
            int s = slabOf(obj, "free_block");
            int i = (int) ((obj - slabs.sMem[s]) / c.size);
            unlink(c, s);
            slabs.freeIdx[s][--slabs.active[s]] = i;
            slabs.objState[s][i] = SlabSlabs.OBJ_FREE;
            c.numActive--;
            if (slabs.active[s] == 0) {
                addHead(c, s, SlabSlabs.FREE);
                c.freeSlabs++;
            } else {
                addTail(c, s, SlabSlabs.PARTIAL);
            }
        }
        int doomed = -1;
        while (c.freeObjects > c.freeLimit && c.listTail[SlabSlabs.FREE] >= 0) {
            c.freeObjects -= c.num;
            int s = c.listTail[SlabSlabs.FREE];
            unlink(c, s);
            c.freeSlabs--;
            c.totalSlabs--;
            slabs.next[s] = doomed;
            doomed = s;
        }
        while (doomed >= 0) {
            int nx = slabs.next[doomed];
            destroySlab(c, doomed, cpu);
            doomed = nx;
        }
    }

    /** {@code slab_destroy}: pages back to the page allocator, then the off-slab free-index array is kfree'd. */
    private void destroySlab(SlabCache c, int s, int cpu) {
        long freelist = slabs.offSlabFreelist[s];
        pages.free(slabs.pfn[s], c.order, cpu);
        slabs.map(slabs.pfn[s], 1L << c.order, 0);
        account(c, -(1L << (c.order + pageShift)));
        slabs.releaseId(s);
        if (freelist != 0) {
            kfree(freelist, cpu);
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
        largePages -= 1L << order;
        unreclaimableBytes -= 1L << (order + pageShift);
    }

    // ---------------------------------------------------------------- reaping (mm/slab.c: cache_reap() (6.1))

    @Override
    public void tick(long nowNanos) {
        while (true) {
            int cpu = 0;
            for (int i = 1; i < cpus; i++) {
                if (nextCpuReap[i] < nextCpuReap[cpu]) {
                    cpu = i;
                }
            }
            if (nextCpuReap[cpu] > nowNanos) {
                break;
            }
            now = Math.max(now, nextCpuReap[cpu]);
            cacheReap(cpu, nextCpuReap[cpu]);
            nextCpuReap[cpu] += REAP_AC_NANOS;
        }
        now = Math.max(now, nowNanos);
    }

    /** {@code cache_reap} on {@code cpu} at time {@code t}, over every cache, newest first. */
    private void cacheReap(int cpu, long t) {
        for (int k = caches.size() - 1; k >= 0; k--) {
            SlabCache c = caches.get(k);
            if (!c.live) {
                continue;
            }
            if (c.cpuAvail[cpu] > 0) {
                if (c.cpuTouched[cpu]) {
                    c.cpuTouched[cpu] = false;
                } else {
                    c.cpuAvail[cpu] = drainPart(c, c.cpuEntries[cpu], c.cpuAvail[cpu], c.limit, cpu);
                }
            }
            if (c.nextReapNanos > t) {
                continue;
            }
            c.nextReapNanos = t + REAP_NODE_NANOS;
            if (c.sharedAvail > 0) {
                if (c.sharedTouched) {
                    c.sharedTouched = false;
                } else {
                    c.sharedAvail = drainPart(c, c.sharedEntries, c.sharedAvail, c.sharedEntries.length, cpu);
                }
            }
            if (c.freeTouched) {
                c.freeTouched = false;
            } else {
                long tofree = (c.freeLimit + 5L * c.num - 1) / (5L * c.num);
                c.stats[SlabStat.REAPED.ordinal()] += drainFreelist(c, tofree, cpu);
            }
        }
    }

    /**
     * {@code drain_array_locked} without free_all: gives back {@code (limit + 4) / 5} of the oldest
     * entries, or half (rounded up) when fewer are there; returns the new avail.
     */
    private int drainPart(SlabCache c, long[] entries, int avail, int limit, int cpu) {
        int tofree = (limit + 4) / 5;
        if (tofree > avail) {
            tofree = (avail + 1) / 2;
        }
        freeBlock(c, entries, tofree, cpu);
        System.arraycopy(entries, tofree, entries, 0, avail - tofree);
        return avail - tofree;
    }

    /** {@code drain_freelist}: destroys up to {@code tofree} slabs from the tail of slabs_free; returns how many. */
    private int drainFreelist(SlabCache c, long tofree, int cpu) {
        int freed = 0;
        while (freed < tofree && c.listTail[SlabSlabs.FREE] >= 0) {
            int s = c.listTail[SlabSlabs.FREE];
            unlink(c, s);
            c.freeSlabs--;
            c.totalSlabs--;
            c.freeObjects -= c.num;
            destroySlab(c, s, cpu);
            freed++;
        }
        return freed;
    }

    // ---------------------------------------------------------------- lists

    private void addHead(SlabCache c, int s, byte list) {
        slabs.list[s] = list;
        slabs.prev[s] = -1;
        slabs.next[s] = c.listHead[list];
        if (c.listHead[list] >= 0) {
            slabs.prev[c.listHead[list]] = s;
        } else {
            c.listTail[list] = s;
        }
        c.listHead[list] = s;
    }

    private void addTail(SlabCache c, int s, byte list) {
        slabs.list[s] = list;
        slabs.next[s] = -1;
        slabs.prev[s] = c.listTail[list];
        if (c.listTail[list] >= 0) {
            slabs.next[c.listTail[list]] = s;
        } else {
            c.listHead[list] = s;
        }
        c.listTail[list] = s;
    }

    private void unlink(SlabCache c, int s) {
        byte list = slabs.list[s];
        if (list == SlabSlabs.UNLISTED) {
            return;
        }
        int p = slabs.prev[s];
        int n = slabs.next[s];
        if (p >= 0) {
            slabs.next[p] = n;
        } else {
            c.listHead[list] = n;
        }
        if (n >= 0) {
            slabs.prev[n] = p;
        } else {
            c.listTail[list] = p;
        }
        slabs.next[s] = -1;
        slabs.prev[s] = -1;
        slabs.list[s] = SlabSlabs.UNLISTED;
    }

    // ---------------------------------------------------------------- lookups

    /** The slab id holding {@code address}; −1 for the head of a large kmalloc; throws when nothing is there. */
    int slabOf(long address, String op) {
        long rel = address - linearBase;
        int v = rel < 0 ? 0 : slabs.lookup(rel >>> pageShift);
        if (v == 0) {
            throw new IllegalArgumentException(op + ": address was not allocated by slab: 0x" + Long.toHexString(address));
        }
        return v > 0 ? v - 1 : -1;
    }

    /** The index of the handed-out object at {@code address}; throws for anything else (double free, interior pointer). */
    private int objectIndex(SlabCache c, int s, long address) {
        long off = address - slabs.sMem[s];
        if (off < 0 || off >= (long) c.num * c.size || off % c.size != 0) {
            throw new IllegalArgumentException("free of an address that is not an object start in " + c.name
                    + ": 0x" + Long.toHexString(address));
        }
        int i = (int) (off / c.size);
        if (slabs.objState[s][i] != SlabSlabs.OBJ_USER) {
            throw new IllegalArgumentException("double free of an object of " + c.name + ": 0x" + Long.toHexString(address));
        }
        return i;
    }

    private void checkCpu(int cpu) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException("cpu must be in [0, " + (cpus - 1) + "]: " + cpu);
        }
    }

    /** {@code ksize} (mm/slab_common.c: __ksize(), ksize() (6.1)): SLAB's object_size; a large kmalloc's whole compound page. */
    @Override
    public long ksize(long address) {
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return 0;
        }
        int s = slabOf(address, "ksize");
        if (s < 0) {
            return 1L << (pageShift - slabs.lookup((address - linearBase) >>> pageShift) - 1);
        }
        SlabCache c = caches.get(slabs.cache[s]);
        objectIndex(c, s, address);
        return c.objectSize;
    }

    // ---------------------------------------------------------------- reporting

    /** The rows of mm/slab_common.c: cache_show(), print_slabinfo_header() (6.1) for SLAB: newest cache first, real tunables and the shared array's fill. */
    @Override
    public List<CacheInfo> slabinfo() {
        List<CacheInfo> rows = new ArrayList<>();
        for (int i = caches.size() - 1; i >= 0; i--) {
            SlabCache c = caches.get(i);
            if (!c.live) {
                continue;
            }
            long numObjs = c.totalSlabs * c.num;
            rows.add(new CacheInfo(c.name, numObjs - c.freeObjects, numObjs, c.size, c.num, 1 << c.order, c.limit,
                    c.batchcount, c.shared, c.totalSlabs - c.freeSlabs, c.totalSlabs, c.sharedAvail));
        }
        return rows;
    }

    /**
     * Counters: the mm/slab.c: slabinfo_show_stats() (6.1) statistics summed over live caches as {@code slab.<column>} ({@code maxobjs} and
     * {@code maxfreeable} are per-cache high marks, so their sum is a sum of marks), then
     * {@code slab.nr_slab_reclaimable_B} and {@code slab.nr_slab_unreclaimable_B} (bytes, large kmalloc
     * included, mm/slub.c: alloc_slab_page() (6.1); mm/slab.c: kmem_getpages() (6.1)), then per live cache in creation order {@code slab.<cache>.<column>}.
     */
    @Override
    public void forEachCounter(CounterVisitor visitor) {
        for (int s = 0; s < SlabStat.COUNT; s++) {
            long sum = 0;
            for (SlabCache c : caches) {
                if (c.live) {
                    sum += c.stats[s];
                }
            }
            visitor.counter("slab." + SlabStat.of(s).columnName(), sum);
        }
        visitor.counter("slab.nr_slab_reclaimable_B", reclaimableBytes);
        visitor.counter("slab.nr_slab_unreclaimable_B", unreclaimableBytes);
        for (SlabCache c : caches) {
            if (c.live) {
                for (int s = 0; s < SlabStat.COUNT; s++) {
                    visitor.counter("slab." + c.name + "." + SlabStat.of(s).columnName(), c.stats[s]);
                }
            }
        }
    }

    @Override
    public void checkInvariants() {
        SlabInvariants.check(this);
    }
}
