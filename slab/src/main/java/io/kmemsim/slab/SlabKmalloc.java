package io.kmemsim.slab;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.slab.CacheAlignment;
import io.kmemsim.api.slab.KmallocClasses;
import io.kmemsim.api.slab.SlabFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * SLAB's kmalloc size classes (include/linux/slab.h: KMALLOC_SHIFT_HIGH (6.1); mm/slab_common.c: kmalloc_info[], kmalloc_slab() (6.1)), built on the shared
 * {@link KmallocClasses} (types, names, {@code size_index}, creation order) with SLAB's differences:
 *
 * <ul>
 *   <li>{@code KMALLOC_SHIFT_LOW} is 5: no 8- or 16-byte caches; {@code KMALLOC_MIN_SIZE} is
 *       {@code max(32, ARCH_KMALLOC_MINALIGN)} (32 on x86-64, 128 on arm64 up to 6.4), and requests below
 *       it use the smallest cache.</li>
 *   <li>5.10: {@code KMALLOC_SHIFT_HIGH = min(MAX_ORDER + PAGE_SHIFT − 1, 25)} (4 MiB on 4K pages), so
 *       caches {@code kmalloc-16k} … {@code kmalloc-4M} exist, created right after each type's
 *       {@code kmalloc-8k}, and there is no large kmalloc: bigger requests fail. 6.1:
 *       {@code PAGE_SHIFT + 1} and larger requests go to the page allocator (mm/slab_common.c: kmalloc_large() (6.1)).</li>
 *   <li>Every kmalloc cache is created with SLAB_HWCACHE_ALIGN ({@code ARCH_KMALLOC_FLAGS}, mm/slab_common.c: setup_kmalloc_cache_index_table() (6.1); include/linux/slab.h: ARCH_KMALLOC_MINALIGN (6.1)).</li>
 * </ul>
 */
final class SlabKmalloc {

    private final KmallocClasses classes;
    private final int shiftLow;
    private final int shiftHigh;
    private final boolean large;
    private final List<KmallocClasses.Cache> caches = new ArrayList<>();

    SlabKmalloc(KernelVersion kernel, PageSize pageSize, int buddyMaxOrder, KmallocClasses.Arch arch, boolean zoneDma,
                boolean memcgKmem) {
        this.classes = KmallocClasses.of(kernel, pageSize, buddyMaxOrder, arch, 8, zoneDma, memcgKmem);
        int minSize = Math.max(32, arch.kmallocMinalign(kernel));
        this.shiftLow = Integer.numberOfTrailingZeros(minSize);
        this.large = kernel.has(Feature.SLAB_LARGE_KMALLOC);
        this.shiftHigh = large ? pageSize.shift() + 1 : Math.min(buddyMaxOrder + pageSize.shift(), 25);
        int archMinalign = arch.kmallocMinalign(kernel);
        for (KmallocClasses.Cache c : classes.caches()) {
            if (c.size() < minSize) {
                continue;
            }
            caches.add(new KmallocClasses.Cache(c.type(), c.index(), c.size(), c.name(),
                    c.flags() | SlabFlags.HWCACHE_ALIGN, c.align()));
            if (c.index() == classes.shiftHigh()) {
                for (int i = classes.shiftHigh() + 1; i <= shiftHigh; i++) {
                    int size = 1 << i;
                    caches.add(new KmallocClasses.Cache(c.type(), i, size, c.type().prefix() + suffix(i),
                            c.type().flags() | SlabFlags.KMALLOC | SlabFlags.HWCACHE_ALIGN,
                            CacheAlignment.kmallocAlign(kernel, size, archMinalign)));
                }
            }
        }
    }

    /** The name suffix of index {@code i}; beyond the api's named range (5.10's 4M) in MiB. */
    static String suffix(int i) {
        return i <= KmallocClasses.MAX_NAMED_INDEX ? KmallocClasses.suffix(i) : ((1 << i) >> 20) + "M";
    }

    /** The kmalloc caches in creation order. */
    List<KmallocClasses.Cache> caches() {
        return caches;
    }

    /** The largest index with a cache ({@code KMALLOC_SHIFT_HIGH}). */
    int shiftHigh() {
        return shiftHigh;
    }

    /** True when requests above the largest cache go to the page allocator (6.1). */
    boolean largeKmalloc() {
        return large;
    }

    /** {@code KMALLOC_MAX_CACHE_SIZE}. */
    long maxCacheSize() {
        return 1L << shiftHigh;
    }

    /** {@code KMALLOC_MAX_SIZE} of the shared classes (4 MiB on 4K pages). */
    long maxSize() {
        return classes.maxSize();
    }

    /** The type {@code kmalloc_type(gfp)} picks. */
    KmallocClasses.Type type(int gfp) {
        return classes.type(gfp);
    }

    /**
     * The size-class index for a request of {@code size} bytes (mm/slab_common.c: kmalloc_slab() (6.1); include/linux/slab.h: kmalloc_type() (6.1)): 0 for 0, −1 above
     * {@link #maxCacheSize()}.
     */
    int index(long size) {
        if (size == 0) {
            return 0;
        }
        if (size > maxCacheSize()) {
            return -1;
        }
        if (size > classes.maxCacheSize()) {
            return 64 - Long.numberOfLeadingZeros(size - 1);
        }
        int i = classes.index(size);
        return i >= 3 && i < shiftLow ? shiftLow : i;
    }
}
