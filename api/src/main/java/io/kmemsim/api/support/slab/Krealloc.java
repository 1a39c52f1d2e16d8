package io.kmemsim.api.support.slab;

import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.ObjectCache;
import org.apiguardian.api.API;

/**
 * {@code krealloc} ({@code mm/slab_common.c: krealloc()} and {@code __do_krealloc()}, 6.1): size 0 frees,
 * a null or {@code ZERO_SIZE_PTR} object kmallocs; an object whose capacity holds the new size is kept,
 * else a new one is kmalloc'ed, the contents copied and the old one freed. On failure the old object is
 * kept and {@link ObjectCache#NO_OBJECT} returned. What "capacity" means and what bytes move is the
 * allocator's {@link Resize}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Krealloc {

    /** The allocator's part of {@code krealloc}. */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public interface Resize {

        /** True when the object at {@code address} can hold {@code newSize} bytes (and is updated in place). */
        boolean keep(long address, long newSize, int gfp);

        /** Copies the old object's contents to the new one (before the old one is freed). */
        default void copy(long from, long to) {
        }
    }

    private Krealloc() {
    }

    /** {@code krealloc(address, newSize, gfp)} on {@code cpu} (already checked) of {@code allocator}. */
    public static long krealloc(ObjectCache allocator, Resize resize, long address, long newSize, int gfp, int cpu) {
        if (newSize == 0) {
            allocator.kfree(address, cpu);
            return KmallocClasses.ZERO_SIZE_PTR;
        }
        if (address == ObjectCache.NO_OBJECT || address == KmallocClasses.ZERO_SIZE_PTR) {
            return allocator.kmalloc(newSize, gfp, cpu);
        }
        if (resize.keep(address, newSize, gfp)) {
            return address;
        }
        long fresh = allocator.kmalloc(newSize, gfp, cpu);
        if (fresh != ObjectCache.NO_OBJECT) {
            resize.copy(address, fresh);
            allocator.kfree(address, cpu);
        }
        return fresh;
    }
}
