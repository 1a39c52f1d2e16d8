package io.kmemsim.api.support.slab;

import io.kmemsim.api.slab.CacheSpec;
import org.apiguardian.api.API;

/** The argument checks and misuse messages SLAB and SLUB share: the caller's mistakes, said the same way. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class SlabChecks {

    private SlabChecks() {
    }

    /** @throws IllegalArgumentException unless {@code 0 <= cpu < cpus} */
    public static void cpu(int cpu, int cpus) {
        if (cpu < 0 || cpu >= cpus) {
            throw new IllegalArgumentException("cpu must be in [0, " + (cpus - 1) + "]: " + cpu);
        }
    }

    /** @throws IllegalArgumentException when the cache's object is larger than {@code KMALLOC_MAX_SIZE} */
    public static void createSize(CacheSpec spec, long kmallocMaxSize) {
        if (spec.size() > kmallocMaxSize) {
            throw new IllegalArgumentException("kmem_cache_create(" + spec.name() + "): size must be <= KMALLOC_MAX_SIZE "
                    + kmallocMaxSize + ": " + spec.size());
        }
    }

    /** A free (or size query) of an address that is not the start of an object of {@code cache}. */
    public static IllegalArgumentException notAnObject(String cache, long address) {
        return new IllegalArgumentException("free of an address that is not an object start in " + cache + ": 0x"
                + Long.toHexString(address));
    }

    /** A free of an object that is not handed out. */
    public static IllegalArgumentException doubleFree(String cache, long address) {
        return new IllegalArgumentException("double free of an object of " + cache + ": 0x" + Long.toHexString(address));
    }

    /** {@code kmem_cache_free} of a large kmalloc. */
    public static IllegalArgumentException largeKmalloc(String cache, long address) {
        return new IllegalArgumentException("kmem_cache_free(" + cache + "): address is a large kmalloc, not an object: 0x"
                + Long.toHexString(address));
    }

    /** {@code kmem_cache_free} of an object of another cache. */
    public static IllegalArgumentException wrongCache(String cache, long address, String owner) {
        return new IllegalArgumentException("kmem_cache_free(" + cache + "): object 0x" + Long.toHexString(address)
                + " belongs to cache " + owner);
    }
}
