package io.kmemsim.slub;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.slab.SlabFlags;
import io.kmemsim.api.support.slab.SlabPageMap;
import io.kmemsim.api.support.slab.SlabPages;
import java.util.SplittableRandom;

/**
 * SLUB's slow paths and slab lists: {@code ___slab_alloc} (§3.5), {@code __slab_free} (§3.7), the cpu
 * partial and node partial lists, new and discarded slabs, flushing and deactivation, and the locked path
 * of the debug caches (§3.8). The fast paths stay in {@link SlubObjectCache}, which calls in here when the
 * cpu freelist is empty or a free misses the cpu slab.
 */
final class SlubSlowPath {

    private static final int END = SlubSlabs.END;
    private static final int ALLOCATED = SlubSlabs.ALLOCATED;

    private final SlubObjectCache a;
    private final SlubSlabs slabs;
    private final SlubRules rules;
    private final PageAllocator pages;
    private final SlabPageMap map;
    private final SlabPages book;
    private final SlubDebug debug;
    private final SplittableRandom random;
    private final int cpus;

    SlubSlowPath(SlubObjectCache a) {
        this.a = a;
        this.slabs = a.slabs;
        this.rules = a.rules;
        this.pages = a.pages;
        this.map = a.map;
        this.book = a.book;
        this.debug = a.debug;
        this.random = new SplittableRandom(a.seed);
        this.cpus = a.cpus;
    }

    /** {@code ___slab_alloc} (§3.5 slow path). */
    long allocSlow(SlubCache c, int gfp, int cpu) {
        c.stat(cpu, SlubStat.ALLOC_SLOWPATH);
        int slab = c.cpu[cpu].slab;
        if (slab >= 0) {
            int fl = slabs.freelist[slab];
            if (fl == END) {
                c.cpu[cpu].drop();
                slabs.state[slab] = SlubSlabs.FULL;
                c.stat(cpu, SlubStat.DEACTIVATE_BYPASS);
            } else {
                c.stat(cpu, SlubStat.ALLOC_REFILL);
                return loadFreelist(c, cpu, slab, takeFreelist(slab));
            }
        }
        if (c.cpu[cpu].partialHead >= 0) {
            slab = c.cpu[cpu].partialHead;
            c.cpu[cpu].partialHead = slabs.next[slab];
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
            return ObjectCache.NO_OBJECT;
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
        int[] next = slabs.objNext[slab];
        c.cpu[cpu].load(slab, next, slabs.base[slab] + c.redLeftPad, (long) slabs.objects[slab] * c.size);
        c.cpu[cpu].freelist = next[head];
        next[head] = ALLOCATED;
        c.allocated++;
        return slabs.base[slab] + (long) head * c.size + c.redLeftPad;
    }

    /**
     * {@code get_partial_node} (§3.5 step 6): takes the first node-partial slab for the cpu and moves
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

    /** {@code allocate_slab} (§8): preferred order without retry or warning, then the minimum order. */
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
        slabs.owner[id] = c;
        slabs.pfn[id] = pfn;
        slabs.base[id] = map.address(pfn);
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
        map.mapSlab(pfn, order, id);
        c.nrSlabs++;
        c.totalObjects += objects;
        book.slabAdded(c.flags, order);
        return id;
    }

    /** A new slab's freelist: ascending, or the cache's permutation from a random start (§3.6). */
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

    void discardSlab(SlubCache c, int slab, int cpu) {
        if (c.debug) {
            debug.beforeDiscard(c, slab);
        }
        int order = slabs.order[slab];
        pages.free(slabs.pfn[slab], order, cpu);
        map.unmapSlab(slabs.pfn[slab], order);
        c.nrSlabs--;
        c.totalObjects -= slabs.objects[slab];
        book.slabRemoved(c.flags, order);
        slabs.releaseId(slab);
    }

    /**
     * The locked debug path (§3.8): one object from the first node-partial slab, else from a new slab,
     * through {@code alloc_debug_processing}; a slab whose checks fail is retired and the next one tried.
     */
    long allocDebug(SlubCache c, int gfp, int cpu, long orig) {
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
            return ObjectCache.NO_OBJECT;
        }
        c.stat(cpu, SlubStat.ALLOC_SLAB);
        int idx = popOne(c, slab);
        if (!debug.allocProcessing(c, slab, idx, orig, gfp, cpu, op)) {
            retire(c, slab, idx);
            return ObjectCache.NO_OBJECT;
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

    /** After a failed allocation check: every object of the slab counts as used, the slab leaves its list (§4.3). */
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
     * A free into a debug cache: {@code free_debug_processing}, then {@code free_to_partial_list} (§3.8).
     * With F, misuse (not an object start, double free) is reported the kernel's way and the object is
     * not freed; without F it throws like every other cache.
     */
    void freeDebugEntry(SlubCache c, int slab, long address, int cpu, int op) {
        int idx;
        if ((c.flags & SlabFlags.CONSISTENCY_CHECKS) != 0) {
            long off = address - slabs.base[slab] - c.redLeftPad;
            boolean start = off >= 0 && off < (long) slabs.objects[slab] * c.size && off % c.size == 0;
            idx = start ? (int) (off / c.size) : -1;
        } else {
            idx = a.objectIndex(c, slab, address);
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

    /** {@code __slab_free} (§3.7 slow path). */
    void freeSlow(SlubCache c, int slab, int idx, int cpu) {
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
     * {@code put_cpu_partial} (§3.7): pushes {@code slab} on this CPU's partial list; with {@code drain}
     * a full list (5.16+: {@code cpu_partial_slabs} slabs; 5.10: more than {@code cpu_partial} free
     * objects) is first detached and emptied to the node (CPU_PARTIAL_DRAIN).
     */
    private void putCpuPartial(SlubCache c, int cpu, int slab, boolean drain) {
        int old = c.cpu[cpu].partialHead;
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
        c.cpu[cpu].partialHead = slab;
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
    void flush(SlubCache c, int statCpu) {
        for (int cpu = 0; cpu < cpus; cpu++) {
            if (c.cpu[cpu].slab >= 0) {
                deactivate(c, cpu, statCpu);
                c.stat(statCpu, SlubStat.CPUSLAB_FLUSH);
            }
            int head = c.cpu[cpu].partialHead;
            c.cpu[cpu].partialHead = -1;
            putPartials(c, head, statCpu);
        }
    }

    /** {@code deactivate_slab} (§3.5): returns the cpu freelist to the slab and files the slab. */
    private void deactivate(SlubCache c, int cpu, int statCpu) {
        int slab = c.cpu[cpu].slab;
        int fl = c.cpu[cpu].freelist;
        c.cpu[cpu].drop();
        c.cpu[cpu].freelist = END;
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
}
