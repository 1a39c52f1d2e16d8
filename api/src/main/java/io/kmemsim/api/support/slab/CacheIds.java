package io.kmemsim.api.support.slab;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * The user-visible cache ids of a slab allocator: each {@code kmem_cache_create} gets a new id, several ids
 * may name one merged cache, and a destroyed id is never reused.
 *
 * @param <C> the allocator's cache type
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class CacheIds<C> {

    private Object[] byId = new Object[16];
    private int next;

    /** A new id for {@code cache}. */
    public int add(C cache) {
        if (next == byId.length) {
            byId = Arrays.copyOf(byId, next * 2);
        }
        byId[next] = cache;
        return next++;
    }

    /**
     * The cache behind {@code id}.
     *
     * @throws IllegalArgumentException for an id never given or already destroyed
     */
    @SuppressWarnings("unchecked")
    public C get(int id) {
        Object c = id >= 0 && id < next ? byId[id] : null;
        if (c == null) {
            throw new IllegalArgumentException("unknown cache id: " + id);
        }
        return (C) c;
    }

    /** Forgets {@code id} and returns its cache. */
    public C remove(int id) {
        C c = get(id);
        byId[id] = null;
        return c;
    }
}
