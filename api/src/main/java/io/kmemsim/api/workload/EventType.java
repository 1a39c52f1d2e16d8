package io.kmemsim.api.workload;

import org.apiguardian.api.API;

/** The kinds of simulation event; which {@link Event} fields each uses is listed per constant. */
@API(status = API.Status.STABLE, since = "0.1")
public enum EventType {
    /**
     * A page allocation: handle, order, gfp, cpu (pfn: the trace's PFN when replaying, else −1); flags:
     * 0, or what the page is for the LRU lists ({@link Event#asPageCache}, {@link Event#asAnon}).
     */
    PAGE_ALLOC,
    /** A page free: handle (of the allocation), order, cpu (pfn as for PAGE_ALLOC). */
    PAGE_FREE,
    /** kmalloc: handle, size, gfp, cpu. */
    KMALLOC,
    /** kfree: handle (of the kmalloc; −1 for {@code kfree(NULL)}), cpu. */
    KFREE,
    /** kmem_cache_create: cacheHandle, name, size, align, flags (SLAB_* bits; bit 63 = has a constructor). */
    CACHE_CREATE,
    /** kmem_cache_alloc: cacheHandle, handle, gfp, cpu. */
    CACHE_ALLOC,
    /** kmem_cache_free: cacheHandle, handle, cpu. */
    CACHE_FREE,
    /** kmem_cache_destroy: cacheHandle. */
    CACHE_DESTROY,
    /** Time passes: timeNanos is the new simulated time (periodic work runs). */
    TICK,
    /**
     * A page is mapped into an address space (a page fault, or a kernel mapping such as vmalloc's):
     * handle = mapping id (0 = the kernel's address space {@code init_mm}; &gt; 0 = a user address
     * space, one ASID each), address = the virtual address, pfn = the first PFN of the folio mapped
     * (−1 when the workload does not name one; the hooks then map nothing), order = the folio's order
     * ({@code 2^order} pages mapped from address, which is aligned to the folio size), flags =
     * {@link Event#FAULT_WRITE} | {@link Event#FAULT_EXEC}, cpu. Forwarded to
     * {@link io.kmemsim.api.arch.ArchHooks#onEvent}.
     */
    PAGE_FAULT,
    /**
     * A virtual range is unmapped ({@code munmap}, or {@code vunmap} for mapping id 0): handle =
     * mapping id (as for PAGE_FAULT), address = first virtual address (page aligned), size = bytes
     * (a positive multiple of the page size), cpu.
     */
    MUNMAP,
    /**
     * A streaming DMA mapping of a buffer for a device ({@code dma_map_single}/{@code dma_map_page}):
     * address = the buffer's physical address (any byte), size = bytes (&gt; 0), flags = the direction
     * as the kernel's {@code enum dma_data_direction} numbers it ({@link Event#DMA_BIDIRECTIONAL},
     * {@link Event#DMA_TO_DEVICE}, {@link Event#DMA_FROM_DEVICE}), cpu.
     */
    DMA_MAP,
    /** The end of a streaming DMA mapping ({@code dma_unmap_*}): the same fields as DMA_MAP. */
    DMA_UNMAP,
    /**
     * An executable user mapping is installed (PTEs present, user-executable): handle = mapping id
     * (&gt; 0), address = the first virtual address (page aligned), pfn = the first PFN of the pages
     * mapped, size = bytes (a positive multiple of the page size), cpu.
     */
    EXEC_MAP,
    /**
     * Compact memory completely, as writing 1 to {@code /proc/sys/vm/compact_memory} (handle = −1: every
     * node) or to {@code /sys/devices/system/node/nodeN/compact} (handle = N). The host calls
     * {@link io.kmemsim.api.mm.PageAllocator#compactMemory}, which runs the compaction policy's
     * {@code compactNode}. Since 0.2.
     */
    COMPACT_MEMORY,
    /**
     * A live page allocation is used again: handle (of the PAGE_ALLOC), flags = {@link Event#ACCESS_WRITE}
     * for a write (the page becomes dirty), cpu. Page cache and anonymous pages age on the LRU lists by
     * it ({@code mark_page_accessed}, a mapping's accessed bit). Since 0.2.
     */
    PAGE_ACCESS,
    /** The dirty page cache is written back ({@code sync}, or the flusher's periodic writeback). Since 0.2. */
    WRITEBACK
}
