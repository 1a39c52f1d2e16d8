package io.kmemsim.workloads;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import java.util.SplittableRandom;

/**
 * The architecture events that go with a workload's page allocations (docs/workloads.md, "Arch
 * events"): a movable block is anonymous memory, mapped by the write fault that allocated it
 * (PAGE_FAULT, or EXEC_MAP for page-cache text) and unmapped (MUNMAP) before it is freed; an
 * unmovable block may be a streaming DMA buffer, mapped for a device (DMA_MAP) after allocation and
 * unmapped (DMA_UNMAP) before it is freed. One instance serves every generator of a workload (all
 * parts of a {@code mix}), so the address spaces are shared.
 *
 * <p>Notes:
 * <ul>
 *   <li>The host takes one event per {@code next()} call, so a follow-up waits in a small ring of
 *       primitive fields: after a PAGE_ALLOC the mapping is queued and emitted by the next call;
 *       before a PAGE_FREE the unmap is emitted instead and the PAGE_FREE queued. The ring is drained
 *       before a generator is asked for a new event, so at most one entry waits at a time.</li>
 *   <li>The host reports a failed allocation before the next call: a queued mapping of an allocation
 *       that is no longer live in its {@link LiveSet} is dropped (counted), and the address space
 *       range is only taken when the mapping is emitted.</li>
 *   <li>Arch events name their allocation with {@link Event#ofAllocation}: the host fills in its PFN
 *       (PAGE_FAULT, EXEC_MAP) or adds its physical address to the DMA offset.</li>
 *   <li>What an allocation got is kept in its live set's slot: {@code archInfo} and {@code archAddress}.
 * <pre>
 *   archInfo: 31                    8 7     4 3     2 1    0
 *             +-----------------------+-------+-------+------+
 *             | mapping id (1..2^16)  |   0   |  dir  | kind |   kind: 0 none, 1 PAGE_FAULT,
 *             +-----------------------+-------+-------+------+         2 EXEC_MAP, 3 DMA_MAP
 *   archAddress: the user VA (kinds 1, 2); offset &lt;&lt; 32 | size in bytes (kind 3)
 * </pre></li>
 *   <li>The decisions (address space, exec, DMA, direction, range) draw from this object's own random
 *       stream, so turning arch events on or off leaves the generators' draws unchanged.</li>
 * </ul>
 */
final class ArchEvents {

    static final int NONE = 0;
    static final int FAULT = 1;
    static final int EXEC = 2;
    static final int DMA = 3;
    /** A queued PAGE_FREE (ring only). */
    private static final int FREE = 4;
    private static final int RING = 4;

    private final ArchSettings settings;
    private final SplittableRandom random;
    private final int pageShift;
    private final UserVa va;
    private final int[] kind = new int[RING];
    private final LiveSet[] set = new LiveSet[RING];
    private final long[] handle = new long[RING];
    private final int[] order = new int[RING];
    private final int[] cpu = new int[RING];
    private final long[] arg = new long[RING];
    private final int[] arg2 = new int[RING];
    private int head;
    private int count;
    private long faults;
    private long execMaps;
    private long munmaps;
    private long dmaMaps;
    private long dmaUnmaps;
    private long dropped;
    private long vaExhausted;

    ArchEvents(ArchSettings settings, SplittableRandom random, int pageShift, int maxOrder) {
        this.settings = settings;
        this.random = random;
        this.pageShift = pageShift;
        this.va = settings.mapUserPages() ? new UserVa(settings.processes(), pageShift, maxOrder) : null;
    }

    /** The arch events of a workload of {@code context} with {@code settings}, on their own random stream. */
    static ArchEvents of(ArchSettings settings, ProviderContext context) {
        if (!settings.enabled()) {
            return off();
        }
        return new ArchEvents(settings, Seeds.random(context.seed(), Seeds.ARCH),
                context.kernelConfig().pageSize().shift(), PageGfp.maxOrder(context));
    }

    /** Arch events that never emit anything. */
    static ArchEvents off() {
        return new ArchEvents(ArchSettings.OFF, new SplittableRandom(0), 12, 0);
    }

    /**
     * The generator just emitted the PAGE_ALLOC of {@code h} ({@code from}'s set): queues its mapping
     * when it is a mapped movable block or a DMA buffer.
     *
     * @param mayBeText false for blocks that are anonymous memory by construction (a THP, the base
     *                  page of a failed THP fault), which are never program text
     */
    void allocated(LiveSet from, long h, int blockOrder, int migrateType, int onCpu, boolean mayBeText) {
        if (migrateType == PageGfp.MOVABLE && settings.mapUserPages()) {
            int process = 1 + random.nextInt(settings.processes());
            boolean exec = mayBeText && blockOrder == 0 && settings.execFraction() > 0
                    && random.nextDouble() < settings.execFraction();
            push(exec ? EXEC : FAULT, from, h, blockOrder, onCpu, 0, process);
        } else if (migrateType == PageGfp.UNMOVABLE && settings.dmaFraction() > 0
                && random.nextDouble() < settings.dmaFraction()) {
            int direction = settings.dmaDirections().sample(random);
            long bytes = (1L << blockOrder) << pageShift;
            long offset = 0;
            long size = bytes;
            if (settings.dmaPartialFraction() > 0 && random.nextDouble() < settings.dmaPartialFraction()) {
                size = 1 + random.nextLong(bytes);
                offset = random.nextLong(bytes - size + 1);
            }
            push(DMA, from, h, blockOrder, onCpu, offset << 32 | size, direction);
        }
    }

    /**
     * Frees the allocation at {@code position} of {@code from}: fills {@code into} with its PAGE_FREE,
     * or, when it is mapped, with its MUNMAP / DMA_UNMAP and queues the PAGE_FREE. The allocation
     * leaves the live set at once.
     */
    void free(LiveSet from, int position, Event into) {
        long h = from.handleAt(position);
        int blockOrder = from.auxAt(position);
        int onCpu = from.cpuAt(position);
        int info = from.archInfoAt(position);
        long address = from.archAddressAt(position);
        from.removeAt(position);
        switch (info & 3) {
            case FAULT, EXEC -> {
                int process = info >>> 8;
                into.munmap(process, address, (1L << blockOrder) << pageShift, onCpu);
                va.release(process - 1, blockOrder, address);
                munmaps++;
            }
            case DMA -> {
                into.dmaUnmap(address >>> 32, address & 0xffff_ffffL, (info >>> 2) & 3, onCpu).ofAllocation(h);
                dmaUnmaps++;
            }
            default -> {
                into.pageFree(h, blockOrder, onCpu);
                return;
            }
        }
        push(FREE, from, h, blockOrder, onCpu, 0, 0);
    }

    /** Fills {@code into} with the next queued event whose allocation is still live; false when there is none. */
    boolean emitPending(Event into) {
        while (count > 0) {
            int i = head;
            head = (head + 1) % RING;
            count--;
            if (emit(i, into)) {
                set[i] = null;
                return true;
            }
            set[i] = null;
        }
        return false;
    }

    private boolean emit(int i, Event into) {
        if (kind[i] == FREE) {
            into.pageFree(handle[i], order[i], cpu[i]);
            return true;
        }
        if (!set[i].isLive(handle[i])) {
            dropped++;
            return false;
        }
        if (kind[i] == DMA) {
            set[i].setArch(handle[i], DMA | arg2[i] << 2, arg[i]);
            into.dmaMap(arg[i] >>> 32, arg[i] & 0xffff_ffffL, arg2[i], cpu[i]).ofAllocation(handle[i]);
            dmaMaps++;
            return true;
        }
        int process = arg2[i];
        long address = va.allocate(process - 1, order[i]);
        if (address < 0) {
            vaExhausted++;
            return false;
        }
        set[i].setArch(handle[i], kind[i] | process << 8, address);
        if (kind[i] == EXEC) {
            into.execMap(process, address, -1, 1L << pageShift, cpu[i]).ofAllocation(handle[i]);
            execMaps++;
        } else {
            into.pageFault(process, address, -1, order[i], Event.FAULT_WRITE, cpu[i]).ofAllocation(handle[i]);
            faults++;
        }
        return true;
    }

    private void push(int k, LiveSet from, long h, int blockOrder, int onCpu, long a, int a2) {
        if (count == RING) {
            throw new IllegalStateException("arch event queue overflow: more than " + RING + " follow-up events pending");
        }
        int i = (head + count) % RING;
        kind[i] = k;
        set[i] = from;
        handle[i] = h;
        order[i] = blockOrder;
        cpu[i] = onCpu;
        arg[i] = a;
        arg2[i] = a2;
        count++;
    }

    /** The counts of arch events emitted, and of mappings left out. */
    void forEachCounter(CounterVisitor v) {
        if (!settings.enabled()) {
            return;
        }
        v.counter("workload.page_faults", faults);
        v.counter("workload.exec_maps", execMaps);
        v.counter("workload.munmaps", munmaps);
        v.counter("workload.dma_maps", dmaMaps);
        v.counter("workload.dma_unmaps", dmaUnmaps);
        v.counter("workload.mappings_dropped_failed", dropped);
        v.counter("workload.mappings_dropped_no_va", vaExhausted);
    }
}
