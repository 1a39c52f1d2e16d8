package io.kmemsim.engine.run;

import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.workload.Event;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * The event loop's object-cache side: the workload's KMALLOC/KFREE and CACHE_* events against the object cache,
 * the live object and cache handles, the slab counters, and the objects a workload shrinker frees. Blame for a
 * failure goes through the loop ({@link EventLoop#enter}), exactly as for the page events.
 */
final class SlabEvents {

    private static final int WORKLOAD = PluginKind.WORKLOAD.ordinal();
    private static final int CACHE = PluginKind.OBJECT_CACHE.ordinal();

    private final EventLoop loop;
    private final ObjectCache cache;
    private final Long2LongOpenHashMap kmallocByHandle = LongMaps.create(1 << 10, ObjectCache.NO_OBJECT);
    private final Long2LongOpenHashMap objectByHandle = LongMaps.create(1 << 10, ObjectCache.NO_OBJECT);
    private final Long2LongOpenHashMap cacheIdByHandle = LongMaps.create(64, -1);

    private long kmallocs;
    private long kmallocFailures;
    private long kfrees;
    private long unknownKfrees;
    private long cachesCreated;
    private long cachesDestroyed;
    private long cacheAllocs;
    private long cacheAllocFailures;
    private long cacheFrees;
    private long unknownCacheFrees;
    private long shrunkObjects;

    SlabEvents(EventLoop loop) {
        this.loop = loop;
        this.cache = loop.cache();
    }

    /** A workload shrinker frees its live object {@code handle} of cache {@code cacheHandle} through the object cache. */
    boolean shrinkerFree(long cacheHandle, long handle) {
        long id = cacheIdByHandle.get(cacheHandle);
        if (cache == null || id < 0 || !objectByHandle.containsKey(handle)) {
            return false;
        }
        long address = objectByHandle.remove(handle);
        shrunkObjects++;
        int kind = loop.currentKind();
        String op = loop.currentOperation();
        loop.enter(CACHE, "free");
        cache.free((int) id, address, 0);
        loop.enter(kind, op);
        return true;
    }

    private ObjectCache cache(Event e) {
        if (cache == null) {
            throw new InputException(new InputProblem(loop.scenario().workload().origin().source(), 0, 0,
                    PluginKind.OBJECT_CACHE.label(), "workload '" + loop.id(WORKLOAD) + "' produced a " + e.type()
                    + " event, which needs an object-cache, and the scenario names none"
                    + " (add e.g. object-cache: { id: slub })"));
        }
        return cache;
    }

    void kmalloc(Event e) {
        ObjectCache c = cache(e);
        loop.checkCpu(e.cpu(), e);
        long handle = e.handle();
        if (kmallocByHandle.containsKey(handle)) {
            throw loop.violation("KMALLOC handle " + handle + " is already live");
        }
        loop.enter(CACHE, "kmalloc");
        long address = c.kmalloc(e.size(), e.gfp(), e.cpu());
        if (address == ObjectCache.NO_OBJECT) {
            kmallocFailures++;
            loop.enter(WORKLOAD, "allocationFailed");
            loop.workload().allocationFailed(handle);
            return;
        }
        kmallocs++;
        kmallocByHandle.put(handle, address);
    }

    void kfree(Event e) {
        ObjectCache c = cache(e);
        loop.checkCpu(e.cpu(), e);
        long address = e.handle() == -1 ? ObjectCache.NO_OBJECT : kmallocByHandle.remove(e.handle());
        if (address == ObjectCache.NO_OBJECT && e.handle() != -1) {
            unknownKfrees++;
            return;
        }
        kfrees++;
        loop.enter(CACHE, "kfree");
        c.kfree(address, e.cpu());
    }

    void cacheCreate(Event e) {
        ObjectCache c = cache(e);
        if (cacheIdByHandle.containsKey(e.cacheHandle())) {
            throw loop.violation("CACHE_CREATE cache handle " + e.cacheHandle() + " is already live");
        }
        loop.enter(WORKLOAD, "next");
        if (e.size() > Integer.MAX_VALUE) {
            throw loop.violation("CACHE_CREATE size must be <= " + Integer.MAX_VALUE + ": " + e.size());
        }
        CacheSpec spec = new CacheSpec(e.name(), (int) e.size(), e.align(), e.flags() & ~Event.FLAG_CTOR,
                (e.flags() & Event.FLAG_CTOR) != 0);
        loop.enter(CACHE, "createCache");
        int id = c.createCache(spec);
        cachesCreated++;
        cacheIdByHandle.put(e.cacheHandle(), id);
    }

    private int cacheId(Event e) {
        long id = cacheIdByHandle.get(e.cacheHandle());
        if (id < 0) {
            throw loop.violation(e.type() + " names cache handle " + e.cacheHandle() + ", which is not a live cache");
        }
        return (int) id;
    }

    void cacheDestroy(Event e) {
        ObjectCache c = cache(e);
        int id = cacheId(e);
        cacheIdByHandle.remove(e.cacheHandle());
        loop.enter(CACHE, "destroyCache");
        c.destroyCache(id);
        cachesDestroyed++;
    }

    void cacheAlloc(Event e) {
        ObjectCache c = cache(e);
        loop.checkCpu(e.cpu(), e);
        int id = cacheId(e);
        long handle = e.handle();
        if (objectByHandle.containsKey(handle)) {
            throw loop.violation("CACHE_ALLOC handle " + handle + " is already live");
        }
        loop.enter(CACHE, "alloc");
        long address = c.alloc(id, e.gfp(), e.cpu());
        if (address == ObjectCache.NO_OBJECT) {
            cacheAllocFailures++;
            loop.enter(WORKLOAD, "allocationFailed");
            loop.workload().allocationFailed(handle);
            return;
        }
        cacheAllocs++;
        objectByHandle.put(handle, address);
    }

    void cacheFree(Event e) {
        ObjectCache c = cache(e);
        loop.checkCpu(e.cpu(), e);
        long address = objectByHandle.remove(e.handle());
        if (address == ObjectCache.NO_OBJECT) {
            unknownCacheFrees++;
            return;
        }
        int id = cacheId(e);
        cacheFrees++;
        loop.enter(CACHE, "free");
        c.free(id, address, e.cpu());
    }

    /** Objects the workload's shrinkers freed through the object cache. */
    long shrunkObjects() {
        return shrunkObjects;
    }

    SlabTotals totals() {
        return new SlabTotals(kmallocs, kmallocFailures, kfrees, unknownKfrees, cachesCreated, cachesDestroyed,
                cacheAllocs, cacheAllocFailures, cacheFrees, unknownCacheFrees);
    }
}
