package io.kmemsim.api.slab;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A {@code kmem_cache_create} request.
 *
 * @param name   the cache name (as {@code /proc/slabinfo} prints it)
 * @param size   object size in bytes, {@code > 0}
 * @param align  requested alignment in bytes (0 for the default), a power of two
 * @param flags  {@code SLAB_*} flags as the kernel's 6.1 bit values (see include/linux/slab.h: SLAB_HWCACHE_ALIGN (6.1))
 * @param ctor   true when the cache has a constructor (prevents merging, moves the free pointer)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record CacheSpec(String name, int size, int align, long flags, boolean ctor) {

    public CacheSpec {
        Objects.requireNonNull(name, "name");
        if (size <= 0) {
            throw new IllegalArgumentException("cache " + name + ": size must be > 0: " + size);
        }
        if (align < 0 || (align & (align - 1)) != 0) {
            throw new IllegalArgumentException("cache " + name + ": align must be 0 or a power of two: " + align);
        }
    }
}
