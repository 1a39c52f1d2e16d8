package io.kmemsim.slub;

import io.kmemsim.api.arch.VirtualLayout;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.support.slab.CacheIds;
import io.kmemsim.api.support.slab.Krealloc;
import io.kmemsim.api.support.slab.ObjectIndex;
import io.kmemsim.api.support.slab.SlabChecks;
import io.kmemsim.api.support.slab.SlabPageMap;
import io.kmemsim.api.support.slab.SlabPages;
import java.util.ArrayList;
import java.util.List;

/**
 * SLUB over the {@link PageAllocator} SPI: kmem caches with per-CPU slabs, per-CPU partial lists and a
 * node partial list, kmalloc caches made at boot, large kmalloc, merging (reference/slab.md §1–§3, §8).
 *
 * <p>Notes:
 * <ul>
 *   <li>Addresses: an object is named by its simulated kernel virtual address, the linear-map address
 *       of its slab's first page plus its offset: {@code PAGE_OFFSET + (pfn << PAGE_SHIFT) + i × size +
 *       red_left_pad}, PAGE_OFFSET from the architecture's {@link VirtualLayout}.</li>
 *   <li>One memory node. No pfmemalloc, no remote-node defragmentation, no preemption: the cmpxchg
 *       retry counters and ALLOC_NODE_MISMATCH never move, and a cpu slab is never replaced behind the
 *       slow path's back, so deactivation happens only on flush (shrink, destroy).</li>
 *   <li>Allocation follows §3.5 step by step: fast path from the cpu freelist; slow path: refill from
 *       the cpu slab's own freelist (remote frees, ALLOC_REFILL) or drop a full cpu slab
 *       (DEACTIVATE_BYPASS); then the cpu partial list (CPU_PARTIAL_ALLOC; up to 6.7 this goes through the
 *       refill step and counts ALLOC_REFILL too); then the node partial list (ALLOC_FROM_PARTIAL, moving
 *       further slabs to the cpu partial list, CPU_PARTIAL_NODE); then a new slab (ALLOC_SLAB, §8).</li>
 *   <li>Freeing follows §3.7: to the cpu freelist when the object's slab is this CPU's cpu slab, else to
 *       the slab's freelist with the frozen / was-full / became-empty decisions.</li>
 *   <li>Debug caches (any of F, Z, P, U, T; from the cache's flags or the {@code slub_debug} option,
 *       §4.1) take the locked path of §3.8 (as 6.1+ does; 5.10's debug caches still used cpu slabs, not
 *       modelled). Their bytes are simulated by {@link SlubDebug}: red zones, poison, free pointers,
 *       checks, validation, repair and reports (§4). Caches without debug flags never touch it.</li>
 *   <li>TYPESAFE_BY_RCU slabs are freed at once (no grace period is modelled).</li>
 *   <li>Hot paths ({@link #alloc}, {@link #free}, {@link #kmalloc}, {@link #kfree} when served by a cpu
 *       slab) do not allocate, and find an object's index by multiplication, as the kernel does
 *       ({@link ObjectIndex}).</li>
 *   <li>This class keeps the entry points and the fast paths; {@link SlubCaches} creates and merges
 *       caches, {@link SlubSlowPath} holds the slow paths and the slab lists, {@link SlubDebug} the debug
 *       caches' bytes; what SLAB shares lives in {@code io.kmemsim.api.support.slab}.</li>
 * </ul>
 */
final class SlubObjectCache implements ObjectCache {

    private static final int ALLOCATED = SlubSlabs.ALLOCATED;
    private static final int END = SlubSlabs.END;

    final KernelVersion kernel;
    final SlubRules rules;
    final SlubOptions options;
    final int cpus;
    final int pageShift;
    final long seed;
    final VirtualLayout layout;
    final PageAllocator pages;
    final KmallocClasses kmallocClasses;
    final SlubSlabs slabs = new SlubSlabs();
    /** PFN to slab id or large kmalloc. */
    final SlabPageMap map;
    /** Pages held: slab bytes by reclaimability, large kmallocs. */
    final SlabPages book;
    private final boolean zoneDma;

    /** The slub_debug parameter (§4.1). */
    final SlubDebugParam debugParam;
    /** Bytes, checks and reports of the debug caches (§4). */
    final SlubDebug debug;
    /** Every cache by internal index (a destroyed one stays, not live). */
    final List<SlubCache> caches;
    private final SlubCaches registry;
    private final CacheIds<SlubCache> ids;
    final SlubSlowPath slow;
    private final Krealloc.Resize resize = new Resize();

    SlubObjectCache(ProviderContext ctx, SlubOptions options) {
        this.kernel = ctx.kernel();
        this.rules = SlubRules.of(kernel);
        this.options = options;
        this.cpus = ctx.cpus();
        this.pageShift = ctx.kernelConfig().pageSize().shift();
        this.pages = ctx.pageAllocator();
        this.zoneDma = ctx.kernelConfig().zoneDma();
        KmallocClasses.Arch arch = KmallocClasses.Arch.parse(options.arch());
        this.layout = arch.layout();
        this.map = new SlabPageMap(layout, pageShift, "slub");
        this.book = new SlabPages(pages, map);
        this.seed = ctx.seed();
        this.debugParam = SlubDebugParam.parse(options.slubDebug(), kernel);
        this.debug = new SlubDebug(this);
        this.kmallocClasses = KmallocClasses.of(kernel, ctx.kernelConfig().pageSize(), pages.maxOrder(), arch,
                options.kmallocMinalign(), zoneDma, options.memcgKmem());
        this.registry = new SlubCaches(this);
        this.caches = registry.all;
        this.ids = registry.ids;
        this.slow = new SlubSlowPath(this);
    }

    // ---------------------------------------------------------------- caches

    @Override
    public int createCache(CacheSpec spec) {
        SlabChecks.createSize(spec, kmallocClasses.maxSize());
        return registry.create(spec);
    }

    /** Aliases of the cache behind {@code cacheId} ({@code refcount - 1}, sysfs {@code aliases}). */
    int aliases(int cacheId) {
        return ids.get(cacheId).refcount - 1;
    }

    /** The internal cache behind a user cache id (tests, benchmarks). */
    SlubCache cache(int cacheId) {
        return ids.get(cacheId);
    }

    /** The kmalloc cache with {@code name}, or null. */
    SlubCache kmallocCache(String name) {
        return registry.kmallocCache(name);
    }

    /**
     * {@code kmem_cache_destroy} (§2.6): drops the alias; the last one shuts the cache down: flush, free the
     * empty partial slabs. When objects remain, the leak report (§4.6) goes to {@link #reports()} and the
     * cache stays (its slabs and its {@code /proc/slabinfo} row are kept, its id is gone), as in the kernel.
     */
    @Override
    public void destroyCache(int cacheId) {
        SlubCache c = ids.remove(cacheId);
        if (--c.refcount > 0) {
            return;
        }
        slow.flush(c, 0);
        for (int s = c.partialHead; s >= 0; ) {
            int nx = slabs.next[s];
            if (slabs.inuse[s] == 0) {
                slow.removePartial(c, s);
                slow.discardSlab(c, s, 0);
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
     * {@code kmem_cache_shrink} (§2.6): flushes the cpu slabs, frees every empty node-partial slab and
     * orders the rest with the fullest (1 … 32 free objects) first.
     */
    void shrink(int cacheId, int cpu) {
        SlubCache c = ids.get(cacheId);
        SlabChecks.cpu(cpu, cpus);
        slow.flush(c, cpu);
        int[] order = new int[c.nrPartial];
        int n = 0;
        for (int s = c.partialHead; s >= 0; ) {
            int nx = slabs.next[s];
            slow.removePartial(c, s);
            if (slabs.inuse[s] == 0) {
                slow.discardSlab(c, s, cpu);
            } else {
                order[n++] = s;
            }
            s = nx;
        }
        for (int free = 1; free <= 32; free++) {
            for (int i = 0; i < n; i++) {
                if (slabs.objects[order[i]] - slabs.inuse[order[i]] == free) {
                    slow.addPartial(c, order[i], true);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (slabs.objects[order[i]] - slabs.inuse[order[i]] > 32) {
                slow.addPartial(c, order[i], true);
            }
        }
    }

    // ---------------------------------------------------------------- allocation

    @Override
    public long alloc(int cacheId, int gfp, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        return allocObject(ids.get(cacheId), gfp, cpu, -1);
    }

    @Override
    public long kmalloc(long size, int gfp, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        if (size == 0) {
            return KmallocClasses.ZERO_SIZE_PTR;
        }
        int idx = kmallocClasses.index(size);
        if (idx < 0) {
            return book.kmallocLarge(size, gfp, cpu);
        }
        return allocObject(registry.kmalloc(gfp, idx), gfp, cpu, size);
    }

    /**
     * {@code kmalloc_trace}: {@code size} bytes from the given cache, recorded as the original request size
     * (kunit's {@code test_kmalloc_redzone_access}, §5).
     */
    long kmallocFrom(int cacheId, long size, int gfp, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        SlubCache c = ids.get(cacheId);
        if (size <= 0 || size > c.objectSize) {
            throw new IllegalArgumentException("kmalloc from " + c.name + ": size must be in [1, " + c.objectSize + "]: " + size);
        }
        return allocObject(c, gfp, cpu, size);
    }

    /** {@code orig}: the kmalloc request size, −1 for kmem_cache_alloc. */
    private long allocObject(SlubCache c, int gfp, int cpu, long orig) {
        SlubCpu k = c.cpu[cpu];
        int obj = k.freelist;
        if (obj >= 0) {
            int[] next = k.links;
            k.freelist = next[obj];
            next[obj] = ALLOCATED;
            k.allocFastpath++;
            c.allocated++;
            return k.object0 + (long) obj * c.size;
        }
        return c.debug ? slow.allocDebug(c, gfp, cpu, orig) : slow.allocSlow(c, gfp, cpu);
    }

    // ---------------------------------------------------------------- freeing

    @Override
    public void free(int cacheId, long address, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        SlubCache c = ids.get(cacheId);
        SlubCpu k = c.cpu[cpu];
        long off = address - k.object0;
        if (off >= 0 && off < k.limit) {
            // do_slab_free's fast path: the object's slab is this CPU's cpu slab, found without the PFN map
            // (an address there is an object of this cache; anything else takes the general path below).
            int o = (int) off;
            int idx = ObjectIndex.divide(o, c.reciprocal);
            int[] links = k.links;
            if (idx * c.size == o && links[idx] == ALLOCATED) {
                links[idx] = k.freelist;
                k.freelist = idx;
                k.freeFastpath++;
                c.allocated--;
                return;
            }
        }
        int slab = map.slabOf(address, "kmem_cache_free");
        if (slab < 0 || slabs.cache[slab] != c.index || c.debug) {
            freeUnusual(c, slab, address, cpu);
            return;
        }
        freeObject(c, slab, objectIndex(c, slab, address), cpu);
    }

    /** {@code kmem_cache_free} of a large kmalloc (refused), of another cache's object, or into a debug cache. */
    private void freeUnusual(SlubCache c, int slab, long address, int cpu) {
        if (slab < 0) {
            throw SlabChecks.largeKmalloc(c.name, address);
        }
        if (slabs.cache[slab] != c.index) {
            SlubCache real = caches.get(slabs.cache[slab]);
            if ((c.flags & SlabFlags.CONSISTENCY_CHECKS) == 0 && !options.hardenedFreelist()) {
                throw SlabChecks.wrongCache(c.name, address, real.name);
            }
            wrongCache(c, real, slab, address);
            c = real;
        }
        if (c.debug) {
            slow.freeDebugEntry(c, slab, address, cpu, SlubDebug.OP_CACHE_FREE);
            return;
        }
        freeObject(c, slab, objectIndex(c, slab, address), cpu);
    }

    /**
     * {@code cache_from_obj} with F or hardened freelists (§4.6): the WARN text and the object's tracks;
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
        SlabChecks.cpu(cpu, cpus);
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return;
        }
        int slab = map.slabOf(address, "kfree");
        if (slab < 0) {
            book.freeLarge(address, cpu);
            return;
        }
        SlubCache c = slabs.owner[slab];
        if (c.debug) {
            slow.freeDebugEntry(c, slab, address, cpu, SlubDebug.OP_KFREE);
            return;
        }
        freeObject(c, slab, objectIndex(c, slab, address), cpu);
    }

    private void freeObject(SlubCache c, int slab, int idx, int cpu) {
        c.allocated--;
        SlubCpu k = c.cpu[cpu];
        if (k.slab == slab) {
            k.links[idx] = k.freelist;
            k.freelist = idx;
            k.freeFastpath++;
            return;
        }
        slow.freeSlow(c, slab, idx, cpu);
    }

    // ---------------------------------------------------------------- lookups

    /** {@code obj_to_index} of a handed-out object; throws for an interior pointer or a double free. */
    int objectIndex(SlubCache c, int slab, long address) {
        long off = address - slabs.base[slab] - c.redLeftPad;
        if (off < 0 || off >= (long) slabs.objects[slab] * c.size) {
            throw SlabChecks.notAnObject(c.name, address);
        }
        int o = (int) off;
        int idx = ObjectIndex.divide(o, c.reciprocal);
        if (idx * c.size != o) {
            throw SlabChecks.notAnObject(c.name, address);
        }
        if (slabs.objNext[slab][idx] != ALLOCATED) {
            throw SlabChecks.doubleFree(c.name, address);
        }
        return idx;
    }

    // ---------------------------------------------------------------- ksize, krealloc

    @Override
    public long ksize(long address) {
        if (address == NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return 0;
        }
        int slab = map.slabOf(address, "ksize");
        if (slab < 0) {
            return book.largeKsize(address);
        }
        SlubCache c = caches.get(slabs.cache[slab]);
        int idx = objectIndex(c, slab, address);
        if (c.debug) {
            debug.skipOrigSizeCheck(c, slab, idx);
        }
        return slabKsize(c);
    }

    /** {@code slab_ksize} (§1.6). */
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
     * {@code krealloc} (§1.7): keeps the object when the new size fits its capacity ({@code ksize} up to
     * 6.12; from 6.13 the cache's {@code object_size}, or the page size of a large kmalloc), else
     * allocates anew, copies and frees the old object. Returns {@link #NO_OBJECT} (old object kept) on
     * failure. In a debug cache the bytes follow §1.7: zeroing with {@code __GFP_ZERO}, and from 6.13 the
     * new original size and the kmalloc red zone behind it. Bytes are copied only between debug caches
     * (other caches have no simulated bytes).
     */
    @Override
    public long krealloc(long address, long newSize, int gfp, int cpu) {
        SlabChecks.cpu(cpu, cpus);
        return Krealloc.krealloc(this, resize, address, newSize, gfp, cpu);
    }

    /** SLUB's part of {@code krealloc}: the capacity by version, and the debug caches' bytes. */
    private final class Resize implements Krealloc.Resize {

        private SlubCache c;
        private int slab;
        private int idx;
        private int copy;

        @Override
        public boolean keep(long address, long newSize, int gfp) {
            slab = map.slabOf(address, "krealloc");
            c = slab < 0 ? null : caches.get(slabs.cache[slab]);
            idx = c == null ? -1 : objectIndex(c, slab, address);
            boolean bytes = c != null && c.debug;
            if (kernel.atLeast(6, 13)) {
                long capacity = c == null ? ksize(address) : c.objectSize;
                copy = bytes ? debug.origSize(c, slab, idx) : (int) Math.min(capacity, Integer.MAX_VALUE);
                if (newSize > capacity) {
                    return false;
                }
                if (bytes) {
                    debug.kreallocInPlace(c, slab, idx, (int) newSize, gfp);
                }
                return true;
            }
            long capacity = ksize(address);
            copy = (int) Math.min(capacity, Integer.MAX_VALUE);
            if (newSize > capacity) {
                return false;
            }
            if (bytes && (gfp & Gfp.ZERO) != 0) {
                debug.zero(c, slab, idx, (int) newSize, (int) capacity);
            }
            return true;
        }

        @Override
        public void copy(long from, long to) {
            int toSlab = map.slabOf(to, "krealloc");
            if (c != null && c.debug && toSlab >= 0 && caches.get(slabs.cache[toSlab]).debug) {
                SlubCache d = caches.get(slabs.cache[toSlab]);
                debug.copy(c, slab, idx, d, toSlab, objectIndex(d, toSlab, to), copy);
            }
        }
    }

    @Override
    public void shrink(int cacheId) {
        shrink(cacheId, 0);
    }

    // ---------------------------------------------------------------- slub_debug access (§4, §5)

    /**
     * {@code validate_slab_cache} (§4.5): the sysfs {@code validate} file; reports go to {@link #reports()}.
     *
     * @throws IllegalArgumentException for a cache without debug flags (the kernel answers -EINVAL)
     */
    void validate(int cacheId) {
        SlubCache c = ids.get(cacheId);
        if (!c.debug) {
            throw new IllegalArgumentException("validate: cache " + c.name + " has no debug flags (-EINVAL)");
        }
        slow.flush(c, 0);
        SlubValidator.validate(this, c);
    }

    /**
     * Writes {@code data} at {@code address + offset} inside the slab of a debug-cache object (the object,
     * its red zones and metadata, or anywhere in its slab, e.g. the tail padding): what a buggy kernel
     * caller would scribble. Used by the kunit scenarios (§5).
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
        int slab = map.slabOf(address, op);
        if (slab < 0 || !caches.get(slabs.cache[slab]).debug) {
            throw new IllegalArgumentException(op + ": bytes are simulated only in debug caches: 0x" + Long.toHexString(address));
        }
        return slab;
    }

    /** The slub_debug reports so far (§4.6), one string per operation and slab, oldest first; never printed. */
    List<String> reports() {
        return debug.r.reports();
    }

    void clearReports() {
        debug.r.clearReports();
    }

    /** The kunit {@code slab_errors} count (§4.9) since the last {@link #resetErrors()}. */
    int errors() {
        return debug.r.errors();
    }

    void resetErrors() {
        debug.r.resetErrors();
    }

    /** The text of {@code /sys/kernel/slab/<cache>/<name>} (§3.10), newline included. */
    String sysfsAttribute(int cacheId, String name) {
        return SlubSysfs.render(this, ids.get(cacheId), name);
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
     * What the free pointer word of the free object at {@code address} would hold (§3.6): the next free
     * object's address (0 at the end), XORed with the cache key and the byte-swapped slot address when
     * hardened freelists are on. Only objects on a slab freelist or a cpu freelist have one.
     */
    long freePointerWord(long address) {
        int slab = map.slabOf(address, "freePointerWord");
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
     * names, §3.9), then {@code slub.nr_slab_reclaimable_B} and {@code slub.nr_slab_unreclaimable_B}
     * (bytes, large kmalloc included, §8 step 5), then per live cache in creation order
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
        visitor.counter("slub.nr_slab_reclaimable_B", book.reclaimableBytes());
        visitor.counter("slub.nr_slab_unreclaimable_B", book.unreclaimableBytes());
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
