package io.kmemsim.api.workload;

import org.apiguardian.api.API;

/**
 * A mutable flyweight holding one simulation event. A {@link Workload} fills the instance the host
 * passes in, so a run allocates nothing per event; a consumer reads it during the call only and never
 * keeps it. Which fields an event type uses is listed on {@link EventType}; unused fields are reset by
 * the typed setters (−1 or 0, {@code name} null).
 *
 * <p>Handles are the workload's names for live allocations ({@code long}, unique among live ones of
 * the same kind). The host maps them to PFNs and addresses and follows them when compaction migrates
 * a block.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Event {

    /** Bit 63 of {@link #flags()} on CACHE_CREATE: the cache has a constructor. */
    public static final long FLAG_CTOR = 1L << 63;

    /** Bit 0 of {@link #flags()} on PAGE_FAULT: a write access (the page is mapped writable and dirty). */
    public static final long FAULT_WRITE = 1L;

    /** Bit 1 of {@link #flags()} on PAGE_FAULT: an instruction fetch (the page is mapped executable). */
    public static final long FAULT_EXEC = 1L << 1;

    /** {@link #flags()} of DMA_MAP/DMA_UNMAP: {@code DMA_BIDIRECTIONAL} (0). */
    public static final int DMA_BIDIRECTIONAL = 0;

    /** {@link #flags()} of DMA_MAP/DMA_UNMAP: {@code DMA_TO_DEVICE} (1), the device reads the buffer. */
    public static final int DMA_TO_DEVICE = 1;

    /** {@link #flags()} of DMA_MAP/DMA_UNMAP: {@code DMA_FROM_DEVICE} (2), the device writes the buffer. */
    public static final int DMA_FROM_DEVICE = 2;

    /** Bit 0 of {@link #flags()} on PAGE_ALLOC: a page cache (file-backed) page, put on the file LRU. Since 0.2. */
    public static final long PAGE_FILE = 1L;

    /** Bit 1 of {@link #flags()} on PAGE_ALLOC: an anonymous (process) page, put on the anon LRU. Since 0.2. */
    public static final long PAGE_ANON = 1L << 1;

    /** Bit 2 of {@link #flags()} on PAGE_ALLOC with {@link #PAGE_FILE}: written, so dirty until written back. Since 0.2. */
    public static final long PAGE_DIRTY = 1L << 2;

    /**
     * Bit 3 of {@link #flags()} on PAGE_ALLOC with {@link #PAGE_FILE}: the page was in the page cache
     * before and reclaim evicted it (its shadow entry is found: {@code workingset_refault}). Since 0.2.
     */
    public static final long PAGE_REFAULT = 1L << 3;

    /** Bits 16-31 of {@link #flags()} on PAGE_ALLOC with {@link #PAGE_ANON}: the owning process (1..65535). */
    public static final int OWNER_SHIFT = 16;

    /**
     * Bits 16-63 of {@link #flags()} on PAGE_ALLOC with {@link #PAGE_REFAULT}: the shadow entry
     * {@link Workload#evicted} handed over when the page was evicted (mm/workingset.c 6.1). Since 0.2.
     */
    public static final int SHADOW_SHIFT = 16;

    /** The largest shadow {@link #asRefault(long)} carries (48 bits). Since 0.2. */
    public static final long SHADOW_MAX = (1L << (64 - SHADOW_SHIFT)) - 1;

    /** Bit 0 of {@link #flags()} on PAGE_ACCESS: a write (the page becomes dirty). Since 0.2. */
    public static final long ACCESS_WRITE = 1L;

    private EventType type;
    private long timeNanos;
    private int cpu;
    private long handle;
    private int order;
    private int gfp;
    private long pfn;
    private long size;
    private int align;
    private long flags;
    private long cacheHandle;
    private String name;
    private long allocation;
    private long address;

    private Event reset(EventType type, int cpu) {
        this.type = type;
        this.cpu = cpu;
        this.handle = -1;
        this.order = 0;
        this.gfp = 0;
        this.pfn = -1;
        this.size = 0;
        this.align = 0;
        this.flags = 0;
        this.cacheHandle = -1;
        this.name = null;
        this.allocation = -1;
        this.address = 0;
        return this;
    }

    /** Sets a PAGE_ALLOC. */
    public Event pageAlloc(long handle, int order, int gfp, int cpu) {
        reset(EventType.PAGE_ALLOC, cpu);
        this.handle = handle;
        this.order = order;
        this.gfp = gfp;
        return this;
    }

    /** Sets a PAGE_FREE. */
    public Event pageFree(long handle, int order, int cpu) {
        reset(EventType.PAGE_FREE, cpu);
        this.handle = handle;
        this.order = order;
        return this;
    }

    /** Marks the PAGE_ALLOC just set as a page cache page ({@code dirty}: just written). Since 0.2. */
    public Event asPageCache(boolean dirty) {
        this.flags = PAGE_FILE | (dirty ? PAGE_DIRTY : 0);
        return this;
    }

    /**
     * Marks the page cache PAGE_ALLOC just set as a refault of an evicted page ({@link #PAGE_REFAULT}) whose
     * shadow entry is 0 (an eviction counter of 0: for workloads that do not keep shadows). Since 0.2.
     */
    public Event asRefault() {
        return asRefault(0);
    }

    /**
     * Marks the page cache PAGE_ALLOC just set as a refault of a page evicted with {@code shadow} (what
     * {@link Workload#evicted} gave), so the allocator can measure the refault distance
     * ({@code workingset_refault}). Since 0.2.
     */
    public Event asRefault(long shadow) {
        if (shadow < 0 || shadow > SHADOW_MAX) {
            throw new IllegalArgumentException("shadow must be in [0, 2^48): " + shadow);
        }
        this.flags |= PAGE_REFAULT | (shadow << SHADOW_SHIFT);
        return this;
    }

    /** Marks the PAGE_ALLOC just set as anonymous memory of process {@code owner} (1..65535). Since 0.2. */
    public Event asAnon(int owner) {
        if (owner < 1 || owner > 0xffff) {
            throw new IllegalArgumentException("owner must be in [1, 65535]: " + owner);
        }
        this.flags = PAGE_ANON | ((long) owner << OWNER_SHIFT);
        return this;
    }

    /** Sets a PAGE_ACCESS of the live page allocation {@code handle} ({@code write}: it becomes dirty). Since 0.2. */
    public Event pageAccess(long handle, boolean write, int cpu) {
        reset(EventType.PAGE_ACCESS, cpu);
        this.handle = handle;
        this.flags = write ? ACCESS_WRITE : 0;
        return this;
    }

    /** Sets a WRITEBACK of all dirty page cache. Since 0.2. */
    public Event writeback() {
        reset(EventType.WRITEBACK, 0);
        return this;
    }

    /** Sets a KMALLOC. */
    public Event kmalloc(long handle, long size, int gfp, int cpu) {
        reset(EventType.KMALLOC, cpu);
        this.handle = handle;
        this.size = size;
        this.gfp = gfp;
        return this;
    }

    /** Sets a KFREE ({@code handle} −1 for {@code kfree(NULL)}). */
    public Event kfree(long handle, int cpu) {
        reset(EventType.KFREE, cpu);
        this.handle = handle;
        return this;
    }

    /** Sets a CACHE_CREATE. */
    public Event cacheCreate(long cacheHandle, String name, long size, int align, long flags) {
        reset(EventType.CACHE_CREATE, 0);
        this.cacheHandle = cacheHandle;
        this.name = name;
        this.size = size;
        this.align = align;
        this.flags = flags;
        return this;
    }

    /** Sets a CACHE_ALLOC. */
    public Event cacheAlloc(long cacheHandle, long handle, int gfp, int cpu) {
        reset(EventType.CACHE_ALLOC, cpu);
        this.cacheHandle = cacheHandle;
        this.handle = handle;
        this.gfp = gfp;
        return this;
    }

    /** Sets a CACHE_FREE. */
    public Event cacheFree(long cacheHandle, long handle, int cpu) {
        reset(EventType.CACHE_FREE, cpu);
        this.cacheHandle = cacheHandle;
        this.handle = handle;
        return this;
    }

    /** Sets a CACHE_DESTROY. */
    public Event cacheDestroy(long cacheHandle) {
        reset(EventType.CACHE_DESTROY, 0);
        this.cacheHandle = cacheHandle;
        return this;
    }

    /** Sets a TICK to simulated time {@code timeNanos}. */
    public Event tick(long timeNanos) {
        reset(EventType.TICK, 0);
        this.timeNanos = timeNanos;
        return this;
    }

    /**
     * Sets a COMPACT_MEMORY of {@code node} (−1 = every node, as {@code /proc/sys/vm/compact_memory};
     * N = {@code /sys/devices/system/node/nodeN/compact}).
     */
    public Event compactMemory(int node) {
        reset(EventType.COMPACT_MEMORY, 0);
        this.handle = node;
        return this;
    }

    /**
     * Sets a PAGE_FAULT: {@code 2^order} pages from {@code pfn} mapped at {@code address} of address
     * space {@code mapping} (0 = kernel), with {@link #FAULT_WRITE}/{@link #FAULT_EXEC} {@code flags}.
     */
    public Event pageFault(long mapping, long address, long pfn, int order, long flags, int cpu) {
        reset(EventType.PAGE_FAULT, cpu);
        this.handle = mapping;
        this.address = address;
        this.pfn = pfn;
        this.order = order;
        this.flags = flags;
        return this;
    }

    /** Sets a MUNMAP of {@code size} bytes at {@code address} of address space {@code mapping} (0 = kernel). */
    public Event munmap(long mapping, long address, long size, int cpu) {
        reset(EventType.MUNMAP, cpu);
        this.handle = mapping;
        this.address = address;
        this.size = size;
        return this;
    }

    /** Sets a DMA_MAP of {@code size} bytes at physical {@code address} in {@code direction} ({@link #DMA_TO_DEVICE} …). */
    public Event dmaMap(long address, long size, int direction, int cpu) {
        reset(EventType.DMA_MAP, cpu);
        this.address = address;
        this.size = size;
        this.flags = direction;
        return this;
    }

    /** Sets a DMA_UNMAP; the fields as for {@link #dmaMap}. */
    public Event dmaUnmap(long address, long size, int direction, int cpu) {
        reset(EventType.DMA_UNMAP, cpu);
        this.address = address;
        this.size = size;
        this.flags = direction;
        return this;
    }

    /** Sets an EXEC_MAP: {@code size} bytes from {@code pfn} mapped executable at {@code address} of user address space {@code mapping}. */
    public Event execMap(long mapping, long address, long pfn, long size, int cpu) {
        reset(EventType.EXEC_MAP, cpu);
        this.handle = mapping;
        this.address = address;
        this.pfn = pfn;
        this.size = size;
        return this;
    }

    /**
     * Names the live page allocation (its PAGE_ALLOC handle) an arch event refers to, for workloads that
     * do not know PFNs: the host sets {@link #pfn()} to that allocation's first PFN (PAGE_FAULT,
     * EXEC_MAP) or {@link #address()} to its physical address plus the address already set, as an
     * offset (DMA_MAP, DMA_UNMAP), before the arch hooks see the event. An allocation that is not live
     * (it failed) makes the host skip the event.
     */
    public Event ofAllocation(long allocationHandle) {
        this.allocation = allocationHandle;
        return this;
    }

    /** The page allocation an arch event refers to, or −1 (see {@link #ofAllocation}). */
    public long allocation() {
        return allocation;
    }

    /** Sets the address field (the host resolving {@link #ofAllocation}). */
    public Event withAddress(long address) {
        this.address = address;
        return this;
    }

    /** Sets the simulated time of the event (ns); events keep the last time set. */
    public Event at(long timeNanos) {
        this.timeNanos = timeNanos;
        return this;
    }

    /** Sets the trace PFN of a PAGE_ALLOC/PAGE_FREE (replay). */
    public Event withPfn(long pfn) {
        this.pfn = pfn;
        return this;
    }

    public EventType type() {
        return type;
    }

    public long timeNanos() {
        return timeNanos;
    }

    public int cpu() {
        return cpu;
    }

    public long handle() {
        return handle;
    }

    public int order() {
        return order;
    }

    public int gfp() {
        return gfp;
    }

    public long pfn() {
        return pfn;
    }

    public long size() {
        return size;
    }

    public int align() {
        return align;
    }

    public long flags() {
        return flags;
    }

    public long cacheHandle() {
        return cacheHandle;
    }

    public String name() {
        return name;
    }

    /** The virtual (PAGE_FAULT, MUNMAP, EXEC_MAP) or physical (DMA_MAP, DMA_UNMAP) address; 0 when unused. */
    public long address() {
        return address;
    }

    @Override
    public String toString() {
        return type + "{t=" + timeNanos + " cpu=" + cpu + " handle=" + handle + " order=" + order + " gfp=0x"
                + Integer.toHexString(gfp) + " pfn=" + pfn + (address == 0 ? "" : " address=0x" + Long.toHexString(address)) + " size=" + size + " cache=" + cacheHandle
                + (name == null ? "" : " name=" + name) + "}";
    }
}
