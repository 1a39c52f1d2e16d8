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
import io.kmemsim.api.support.slab.CacheIds;
import io.kmemsim.api.support.slab.CacheRules;
import io.kmemsim.api.support.slab.Krealloc;
import io.kmemsim.api.support.slab.ObjectIndex;
import io.kmemsim.api.support.slab.SlabChecks;
import io.kmemsim.api.support.slab.SlabPageMap;
import io.kmemsim.api.support.slab.SlabPages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SLAB over the {@link PageAllocator} SPI (reference/slab.md §6, §1, §2.5, §7.1, §8), one memory node.
 *
 * <p>Notes:
 * <ul>
 *   <li>Addresses: linear-map address of the slab's first page plus the colour offset plus
 *       {@code i × size}; PAGE_OFFSET is the architecture's {@link io.kmemsim.api.arch.VirtualLayout}.</li>
 *   <li>Allocation (§6.6): pop the CPU array (allochit); else refill (allocmiss) with a batch (at most 16
 *       when the array was not touched) from the top of the shared array, else from the first partial or
 *       free slab, else grow one slab (colour_next advances first) and fill from it.</li>
 *   <li>Free (§6.7): push on the CPU array (freehit); when full (freemiss) flush {@code batchcount} of the
 *       oldest entries to the shared array if it has room, else back to their slabs ({@code free_block}:
 *       empty slabs go to the head of slabs_free, others to the tail of slabs_partial, then slabs are
 *       destroyed from the tail of slabs_free while free objects exceed {@code free_limit}).</li>
 *   <li>Reaping (§6.8) runs from {@link #tick}, in {@link SlabReaper}.</li>
 *   <li>No CONFIG_DEBUG_SLAB layout: RED_ZONE, POISON and STORE_USER (and SLUB's TRACE and
 *       CONSISTENCY_CHECKS) are dropped at creation, as {@code CACHE_CREATE_MASK} does without it. The
 *       statistics of §6.10 are kept as counters. No NUMA alien caches, no freelist randomization, no
 *       bootstrap caches ({@code kmem_cache}, {@code kmalloc-node}) in the rows, TYPESAFE_BY_RCU slabs are
 *       freed at once.</li>
 *   <li>Hot paths ({@link #alloc}, {@link #free}, {@link #kmalloc}, {@link #kfree} served by the CPU
 *       array) do not allocate.</li>
 * </ul>
 */
final class SlabObjectCache implements ObjectCache {

    /** {@code BATCHREFILL_LIMIT}. */
    static final int BATCHREFILL_LIMIT = 16;

    /** {@code GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK} (§8 step 1). */
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
    /** PFN to slab id or large kmalloc. */
    final SlabPageMap map;
    /** Pages held: slab bytes by reclaimability, large kmallocs. */
    final SlabPages book;
    final PageAllocator pages;
    final SlabKmalloc kmallocClasses;
    final SlabSlabs slabs = new SlabSlabs();
    final List<SlabCache> caches = new ArrayList<>();
    private final int keepMask;
    private final int kmallocMaxOrder;
    private final int slotStride;
    private final int[] kmallocSlot;
    private final CacheIds<SlabCache> ids = new CacheIds<>();
    private final Krealloc.Resize resize = (address, newSize, gfp) -> newSize <= ksize(address);
    /** Cache reaping on simulated time. */
    final SlabReaper reaper;

    SlabObjectCache(ProviderContext ctx, SlabOptions options) {
        this.kernel = ctx.kernel();
        this.options = options;
        this.cpus = ctx.cpus();
        this.pageShift = ctx.kernelConfig().pageSize().shift();
        this.pages = ctx.pageAllocator();
        KmallocClasses.Arch arch = KmallocClasses.Arch.parse(options.arch());
        this.map = new SlabPageMap(arch.layout(), pageShift, "slab");
        this.linearBase = map.linearBase();
        this.book = new SlabPages(pages, map);
        this.keepMask = kernel.hasGfpAtomic() ? GFP_KEEP | Gfp.ATOMIC : GFP_KEEP;
        this.kmallocMaxOrder = Math.min(pages.maxOrder(), 10);
        this.kmallocClasses = new SlabKmalloc(kernel, ctx.kernelConfig().pageSize(), pages.maxOrder(), arch,
                ctx.kernelConfig().zoneDma(), options.memcgKmem());
        this.reaper = new SlabReaper(this);
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
        int allocflags = Gfp.COMP | CacheRules.allocFlags(flags);
        int index = caches.size();
        boolean mergeable = !kmalloc && CacheRules.mergeable(kernel, options.merge(), ctor, flags);
        SlabCache c = new SlabCache(index, name, flags, ctor, kmalloc, mergeable, objectSize, g, limit, shared,
                allocflags, cpus, reaper.firstNodeReap(index));
        caches.add(c);
        return c;
    }

    /**
     * The stride of what would hold an off-slab free-index array of {@code bytes} (§6.2): the NORMAL
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
        SlabChecks.createSize(spec, kmallocClasses.maxSize());
        long flags = spec.flags() & ~DROPPED_DEBUG;
        SlabCache target = findMergeable(spec, flags);
        if (target != null) {
            target.refcount++;
            target.objectSize = Math.max(target.objectSize, spec.size());
        } else {
            target = newCache(spec.name(), spec.size(), spec.align(), flags, spec.ctor(), false);
        }
        return ids.add(target);
    }

    /** {@code find_mergeable} (§2.5) with SLAB's extra alignment test: the oldest compatible cache, or null. */
    private SlabCache findMergeable(CacheSpec spec, long flags) {
        if (!CacheRules.mergeable(kernel, options.merge(), spec.ctor(), flags)) {
            return null;
        }
        int align = CacheAlignment.calculate(flags, spec.align(), spec.size(), options.cacheLineSize());
        int size = CacheRules.mergeSize(spec.size(), align);
        for (SlabCache s : caches) {
            int sAlign = s.geometry.align();
            if (s.live && s.mergeable && CacheRules.mergeFits(size, align, flags, s.size, s.flags)
                    && align <= sAlign && sAlign % align == 0) {
                return s;
            }
        }
        return null;
    }

    /** The internal cache behind a user cache id (tests). */
    SlabCache cache(int cacheId) {
        return ids.get(cacheId);
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
        SlabCache c = ids.get(cacheId);
        if (c.refcount == 1 && c.allocated > 0) {
            throw new IllegalArgumentException("kmem_cache_destroy " + c.name + ": Slab cache still has objects ("
                    + c.allocated + " in use)");
        }
        ids.remove(cacheId);
        if (--c.refcount > 0) {
            return;
        }
        shrink(c);
        c.live = false;
    }

    /**
     * {@code kmem_cache_shrink} (§6.8): drains every CPU array and the shared array completely, then frees
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
        reaper.drainFreelist(c, Integer.MAX_VALUE, 0);
    }

    /**
     * {@code kmem_cache_shrink} of a user cache id (§2.6, §6.8). Public so that it implements the api's
     * {@code shrink} where the api has it.
     */
    public void shrink(int cacheId) {
        shrink(ids.get(cacheId));
    }

    /**
     * {@code krealloc} as in 5.10 – 6.12 (§1.7): keeps the object when {@code ksize} (SLAB's object_size,
     * or a large kmalloc's page size) holds {@code newSize}, else kmallocs anew and frees the old object;
     * returns {@link #NO_OBJECT} with the old object kept on failure. Public so that it implements the
     * api's {@code krealloc} where the api has it.
     */
    public long krealloc(long address, long newSize, int gfp, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        return Krealloc.krealloc(this, resize, address, newSize, gfp, cpu);
    }

    // ---------------------------------------------------------------- allocation

    @Override
    public long alloc(int cacheId, int gfp, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        return allocObject(ids.get(cacheId), gfp, cpu);
    }

    @Override
    public long kmalloc(long size, int gfp, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        if (size < 0) {
            throw new IllegalArgumentException("kmalloc size must be >= 0: " + size);
        }
        if (size == 0) {
            return KmallocClasses.ZERO_SIZE_PTR;
        }
        int idx = kmallocClasses.index(size);
        if (idx < 0) {
            return kmallocClasses.largeKmalloc() ? book.kmallocLarge(size, gfp, cpu) : NO_OBJECT;
        }
        int ci = kmallocSlot[kmallocClasses.type(gfp).ordinal() * slotStride + idx];
        return allocObject(caches.get(ci), gfp, cpu);
    }

    /** {@code ____cache_alloc} (§6.6 step 1). */
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
        int s = map.slabOf(obj, "alloc");
        slabs.objState[s][ObjectIndex.divide((int) (obj - slabs.sMem[s]), c.reciprocal)] = SlabSlabs.OBJ_USER;
        c.allocated++;
    }

    /** {@code cache_alloc_refill} (§6.6 step 2). */
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

    /** {@code gfp_exact_node}: node-exact without reclaim on NUMA kernels; only __GFP_NOFAIL dropped otherwise (§8). */
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
        slabs.unlink(c, s);
        slabs.addHead(c, s, slabs.active[s] == c.num ? SlabSlabs.FULL : SlabSlabs.PARTIAL);
    }

    /** {@code cache_grow_begin} (§6.6, §8): one page-allocator attempt, colour, free-index array, objects. */
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
        slabs.sMem[id] = map.address(pfn) + offset;
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
        map.mapSlab(pfn, c.order, id);
        book.slabAdded(c.flags, c.order);
        return id;
    }

    /** {@code cache_grow_end}: links the new slab, counts it (grown) and its free objects. */
    private void growEnd(SlabCache c, int s) {
        c.totalSlabs++;
        if (slabs.active[s] == 0) {
            slabs.addTail(c, s, SlabSlabs.FREE);
            c.freeSlabs++;
        } else {
            fixupSlabList(c, s);
        }
        c.stat(SlabStat.GROWN);
        c.freeObjects += c.num - slabs.active[s];
    }

    // ---------------------------------------------------------------- freeing

    @Override
    public void free(int cacheId, long address, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        SlabCache c = ids.get(cacheId);
        int s = map.slabOf(address, "kmem_cache_free");
        if (s < 0) {
            throw SlabChecks.largeKmalloc(c.name, address);
        }
        if (slabs.cache[s] != c.index) {
            throw SlabChecks.wrongCache(c.name, address, caches.get(slabs.cache[s]).name);
        }
        freeObject(c, s, address, cpu);
    }

    @Override
    public void kfree(long address, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return;
        }
        int s = map.slabOf(address, "kfree");
        if (s < 0) {
            book.freeLarge(address, cpu);
            return;
        }
        freeObject(caches.get(slabs.cache[s]), s, address, cpu);
    }

    /** {@code ___cache_free} (§6.7). */
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

    /** {@code cache_flusharray} (§6.7 step 3): the oldest {@code batchcount} entries to the shared array or the slabs. */
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
     * {@code free_block} (§6.7 step 4): returns {@code entries[0, n)} to their slabs, then destroys slabs
     * from the tail of slabs_free while free objects exceed {@code free_limit} (in the kernel's order:
     * the last one chosen is destroyed first).
     */
    void freeBlock(SlabCache c, long[] entries, int n, int cpu) {
        if (n == 0) {
            return;
        }
        c.freeObjects += n;
        for (int k = 0; k < n; k++) {
            long obj = entries[k];
            int s = map.slabOf(obj, "free_block");
            int i = ObjectIndex.divide((int) (obj - slabs.sMem[s]), c.reciprocal);
            slabs.unlink(c, s);
            slabs.freeIdx[s][--slabs.active[s]] = i;
            slabs.objState[s][i] = SlabSlabs.OBJ_FREE;
            c.numActive--;
            if (slabs.active[s] == 0) {
                slabs.addHead(c, s, SlabSlabs.FREE);
                c.freeSlabs++;
            } else {
                slabs.addTail(c, s, SlabSlabs.PARTIAL);
            }
        }
        int doomed = -1;
        while (c.freeObjects > c.freeLimit && c.listTail[SlabSlabs.FREE] >= 0) {
            c.freeObjects -= c.num;
            int s = c.listTail[SlabSlabs.FREE];
            slabs.unlink(c, s);
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
    void destroySlab(SlabCache c, int s, int cpu) {
        long freelist = slabs.offSlabFreelist[s];
        pages.free(slabs.pfn[s], c.order, cpu);
        map.unmapSlab(slabs.pfn[s], c.order);
        book.slabRemoved(c.flags, c.order);
        slabs.releaseId(s);
        if (freelist != 0) {
            kfree(freelist, cpu);
        }
    }

    // ---------------------------------------------------------------- lookups

    /** The index of the handed-out object at {@code address}; throws for anything else (double free, interior pointer). */
    private int objectIndex(SlabCache c, int s, long address) {
        long off = address - slabs.sMem[s];
        if (off < 0 || off >= (long) c.num * c.size) {
            throw SlabChecks.notAnObject(c.name, address);
        }
        int i = ObjectIndex.divide((int) off, c.reciprocal);
        if (i * c.size != off) {
            throw SlabChecks.notAnObject(c.name, address);
        }
        if (slabs.objState[s][i] != SlabSlabs.OBJ_USER) {
            throw SlabChecks.doubleFree(c.name, address);
        }
        return i;
    }

    /** {@code ksize} (§1.6): SLAB's object_size; a large kmalloc's whole compound page. */
    @Override
    public long ksize(long address) {
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return 0;
        }
        int s = map.slabOf(address, "ksize");
        if (s < 0) {
            return book.largeKsize(address);
        }
        SlabCache c = caches.get(slabs.cache[s]);
        objectIndex(c, s, address);
        return c.objectSize;
    }

    @Override
    public void tick(long nowNanos) {
        reaper.tick(nowNanos);
    }

    // ---------------------------------------------------------------- reporting

    /** The rows of §7.1 for SLAB: newest cache first, real tunables and the shared array's fill. */
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
     * Counters: the §6.10 statistics summed over live caches as {@code slab.<column>} ({@code maxobjs} and
     * {@code maxfreeable} are per-cache high marks, so their sum is a sum of marks), then
     * {@code slab.nr_slab_reclaimable_B} and {@code slab.nr_slab_unreclaimable_B} (bytes, large kmalloc
     * included, §8), then per live cache in creation order {@code slab.<cache>.<column>}.
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
        visitor.counter("slab.nr_slab_reclaimable_B", book.reclaimableBytes());
        visitor.counter("slab.nr_slab_unreclaimable_B", book.unreclaimableBytes());
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
