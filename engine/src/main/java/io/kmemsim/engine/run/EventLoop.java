package io.kmemsim.engine.run;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.EventOrigin;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.util.HandleTable;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.util.Optional;

/**
 * Pulls the workload's events into one reused {@link Event} and drives the page allocator, the arch
 * hooks and the object cache with them; also the {@link RunState} observers see.
 *
 * <p>Notes:
 * <ul>
 *   <li>Nothing is allocated per event: handles map to PFNs and addresses in primitive maps ({@link HandleTable},
 *       {@link LongMaps}, which only grow), counters are primitive fields and arrays. A live page block is stored as
 *       one {@code long}:
 * <pre>
 *   63                         6 5        0
 *   +---------------------------+----------+
 *   |            pfn            |  order   |
 *   +---------------------------+----------+
 * </pre>
 *       so a PAGE_FREE whose order differs from its allocation's is caught as the workload's error
 *       rather than reaching the allocator as misuse.</li>
 *   <li>Fault boundary without per-call cost: before each plugin call the loop writes the plugin's
 *       kind and the operation into two fields; one try/catch around the whole loop turns a
 *       {@link RuntimeException}, {@link LinkageError} or {@link AssertionError} into a
 *       {@link PluginFailureException} naming them. Kind {@code -1} marks the engine's own code and
 *       observer calls, whose exceptions pass unchanged.</li>
 *   <li>A workload that breaks its contract (an order or CPU out of range, a handle that is already
 *       live, a cache it never created) fails as operation {@code next} of the workload.</li>
 *   <li>Handles follow migrated blocks: the loop is the allocator's {@link
 *       io.kmemsim.api.mm.MigrationListener} and {@link io.kmemsim.api.mm.ReclaimListener}, which name blocks by
 *       PFN, so it needs a reverse PFN→handle map for them. That map is built from the handle map at the first
 *       migration or reclaim and kept from then on: a run whose allocator never moves or reclaims a block (a
 *       replay without compaction) updates one map per page event, not two.</li>
 *   <li>A workload that is a {@link PageEventSource} (the engine's {@code trace} workload over a binary trace)
 *       pushes its page events into the loop ({@link Pushed}) between the events the loop pulls: each pushed
 *       event is counted, advances the time, reaches the allocator, the counters and the latency histogram,
 *       and is followed by the invariant check and the progress report exactly as a pulled one.</li>
 * </ul>
 */
final class EventLoop implements RunState {

    private static final int ENGINE = -1;
    private static final int WORKLOAD = PluginKind.WORKLOAD.ordinal();
    private static final int ALLOCATOR = PluginKind.PAGE_ALLOCATOR.ordinal();
    private static final int CACHE = PluginKind.OBJECT_CACHE.ordinal();
    private static final int ARCH = PluginKind.ARCH_HOOKS.ordinal();

    /** A live block in {@code pfnByHandle}: {@code pfn << ORDER_BITS | order}. */
    private static final int ORDER_BITS = 6;
    private static final long ORDER_MASK = (1L << ORDER_BITS) - 1;

    private final Scenario scenario;
    private final Platform platform;
    private final int cpus;
    private final PageAllocator allocator;
    private final ObjectCache cache;
    private final ArchHooks arch;
    private final Workload workload;
    private final String[] ids;
    private final int maxOrder;
    private final long checkEvery;
    private final long tickNanos;
    private final boolean placeAtPfn;
    private final int pageShift;
    /** The machine's PFN range over all zones, holes included. */
    private final MachineSpan span;

    /** Handle → live block ({@link HandleTable}: one array of key-value slots, one cache line per probe). */
    private final HandleTable pfnByHandle = new HandleTable(1 << 12);
    /** PFN → handle of every live block; null until the allocator first migrates or reclaims one. */
    private Long2LongOpenHashMap handleByPfn;

    private int currentKind = ENGINE;
    private String currentOperation = "";
    /**
     * The operation of the page path now running, as one int store instead of {@link #enter}'s int and reference
     * (index into {@link #HOT_KIND} / {@link #HOT_OPERATION}); {@link #HOT_NONE}: {@link #currentKind} and
     * {@link #currentOperation} say it. {@link #enter} clears it.
     */
    private int hot;
    private static final int HOT_NONE = 0;
    private static final int HOT_NEXT = 1;
    private static final int HOT_CYCLES = 2;
    private static final int HOT_ALLOCATE = 3;
    private static final int HOT_FREE = 4;
    private static final int[] HOT_KIND = {ENGINE, WORKLOAD, ALLOCATOR, ALLOCATOR, ALLOCATOR};
    private static final String[] HOT_OPERATION = {"", "next", "cycles", "allocate", "free"};
    /** Whether there are arch hooks whose cycles count (not {@link ArchHooks#NONE}, whose cycles are always 0). */
    private final boolean archCycles;

    private long events;
    private long checkCountdown;
    private long expected;
    private RunObserver observer = RunObserver.NONE;
    private long loopNanos;
    private long ticks;
    private long now;
    private long nextTick;
    private final AllocationLatency latency;
    private final long[] allocOk;
    private final long[] allocFailed;
    private long freed;
    private long unknownFrees;
    private long migrated;
    private long reclaimedBlocks;
    private long reclaimedPages;
    private long oomKilledBlocks;
    private long accesses;
    private long unknownAccesses;
    private long writebacks;
    private final SlabEvents slab;

    /**
     * @param ids the provider id of each component, indexed by {@link PluginKind#ordinal()}
     */
    EventLoop(Scenario scenario, Platform platform, int cpus, PageAllocator allocator, Optional<ObjectCache> cache,
              ArchHooks arch, Workload workload, String[] ids) {
        this.scenario = scenario;
        this.platform = platform;
        this.cpus = cpus;
        this.allocator = allocator;
        this.cache = cache.orElse(null);
        this.arch = arch;
        this.archCycles = arch != ArchHooks.NONE;
        this.workload = workload;
        this.ids = ids.clone();
        this.slab = new SlabEvents(this);
        this.checkEvery = scenario.run().checkInvariantsEvery();
        this.tickNanos = scenario.run().tickNanos();
        this.nextTick = tickNanos;
        this.maxOrder = FaultBoundary.call(this.ids[ALLOCATOR], PluginKind.PAGE_ALLOCATOR.label(), "maxOrder",
                allocator::maxOrder);
        this.placeAtPfn = FaultBoundary.call(this.ids[ALLOCATOR], PluginKind.PAGE_ALLOCATOR.label(), "capabilities",
                () -> allocator.capabilities().contains(PageAllocator.Capability.PLACE_AT_PFN));
        this.pageShift = platform.kernelConfig().pageSize().shift();
        this.span = FaultBoundary.call(this.ids[ALLOCATOR], PluginKind.PAGE_ALLOCATOR.label(), "zones",
                () -> MachineSpan.of(allocator));
        this.latency = new AllocationLatency(maxOrder);
        this.allocOk = new long[maxOrder + 1];
        this.allocFailed = new long[maxOrder + 1];
    }

    @Override
    public AllocationLatency allocationLatency() {
        return latency;
    }

    /** The workload being run. */
    Workload workload() {
        return workload;
    }

    /** Registers the loop as the allocator's migration listener (operation {@code setMigrationListener}). */
    void listenForMigrations() {
        FaultBoundary.run(ids[ALLOCATOR], PluginKind.PAGE_ALLOCATOR.label(), "setMigrationListener",
                () -> allocator.setMigrationListener(this::migrated));
    }

    /** Registers the loop as the allocator's reclaim listener (operation {@code setReclaimListener}). */
    void listenForReclaim() {
        FaultBoundary.run(ids[ALLOCATOR], PluginKind.PAGE_ALLOCATOR.label(), "setReclaimListener",
                () -> allocator.setReclaimListener(new io.kmemsim.api.mm.ReclaimListener() {
                    @Override
                    public void reclaimed(long pfn, int order, boolean oomKill) {
                        EventLoop.this.reclaimed(pfn, order, oomKill, -1);
                    }

                    @Override
                    public void evicted(long pfn, int order, long shadow) {
                        EventLoop.this.reclaimed(pfn, order, false, shadow);
                    }
                }));
    }

    /**
     * Registers the workload's slab shrinkers on the allocator ({@code register_shrinker}); each frees the
     * workload's objects through the object cache ({@link #shrinkerFree}) and is blamed on the workload.
     */
    void registerShrinkers() {
        java.util.List<io.kmemsim.api.reclaim.Shrinker> shrinkers = FaultBoundary.call(ids[WORKLOAD],
                PluginKind.WORKLOAD.label(), "shrinkers", () -> workload.shrinkers(slab::shrinkerFree));
        for (io.kmemsim.api.reclaim.Shrinker s : shrinkers) {
            io.kmemsim.api.reclaim.Shrinker blamed = new io.kmemsim.api.reclaim.Shrinker() {
                @Override
                public String name() {
                    return s.name();
                }

                @Override
                public long countObjects() {
                    int kind = currentKind();
                    String op = currentOperation();
                    enter(WORKLOAD, "shrinker count_objects");
                    long n = s.countObjects();
                    enter(kind, op);
                    return n;
                }

                @Override
                public long scanObjects(long nrToScan, int gfp) {
                    int kind = currentKind();
                    String op = currentOperation();
                    enter(WORKLOAD, "shrinker scan_objects");
                    long n = s.scanObjects(nrToScan, gfp);
                    enter(kind, op);
                    return n;
                }

                @Override
                public int seeks() {
                    return s.seeks();
                }

                @Override
                public long batch() {
                    return s.batch();
                }
            };
            FaultBoundary.run(ids[ALLOCATOR], PluginKind.PAGE_ALLOCATOR.label(), "registerShrinker",
                    () -> allocator.registerShrinker(blamed));
        }
    }

    /** Objects the workload's shrinkers freed through the object cache. */
    long shrunkObjects() {
        return slab.shrunkObjects();
    }

    /** The component and operation now running, for {@link SlabEvents} to restore after a nested call. */
    int currentKind() {
        return hot != HOT_NONE ? HOT_KIND[hot] : currentKind;
    }

    String currentOperation() {
        return hot != HOT_NONE ? HOT_OPERATION[hot] : currentOperation;
    }

    ObjectCache cache() {
        return cache;
    }

    String id(int kind) {
        return ids[kind];
    }

    void enter(int kind, String operation) {
        currentKind = kind;
        currentOperation = operation;
        hot = HOT_NONE;
    }

    /** Runs the workload to its end. */
    void run(RunObserver observer) {
        long start = System.nanoTime();
        try {
            loop(observer);
            loopNanos = System.nanoTime() - start;
        } catch (InputException | PluginFailureException | OutOfMemoryError e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            if (currentKind() == ENGINE) {
                throw e;
            }
            throw failure(currentKind(), currentOperation(), e);
        }
    }

    private PluginFailureException failure(int kind, String operation, Throwable cause) {
        PluginKind k = PluginKind.values()[kind];
        return new PluginFailureException(ids[kind], k.label(), operation, cause);
    }

    private void loop(RunObserver runObserver) {
        observer = runObserver;
        Event event = new Event();
        enter(WORKLOAD, "expectedEvents");
        expected = workload.expectedEvents();
        checkCountdown = checkEvery;
        enter(WORKLOAD, "pushesPageEvents");
        PageEventSource source = workload instanceof PageEventSource s && s.pushesPageEvents() ? s : null;
        PageEventSink sink = new Pushed();
        while (true) {
            if (source != null) {
                enter(WORKLOAD, "next");
                while (source.pushPageEvents(sink)) {
                    // each call pushes up to a batch of page events
                }
            }
            enter(WORKLOAD, "next");
            if (!workload.next(event)) {
                break;
            }
            events++;
            advanceTime(event.timeNanos());
            dispatch(event);
            afterEvent();
        }
        enter(ENGINE, "");
    }

    /** After each event: the invariant check every {@code checkEvery} events, the progress report; the workload's turn. */
    private void afterEvent() {
        if (checkEvery > 0 && --checkCountdown == 0) {
            checkInvariants();
            checkCountdown = checkEvery;
        }
        if ((events & (Simulation.PROGRESS_INTERVAL - 1)) == 0) {
            enter(ENGINE, "");
            observer.progress(events, expected);
        }
        hot = HOT_NEXT;
    }

    /**
     * The loop as the sink of a {@link PageEventSource}: each method is the pulled event's way through the loop
     * (count, time, the event's own work, {@link #afterEvent}) for a PAGE_ALLOC without PFN placement or LRU
     * flags, a PAGE_FREE and a TICK.
     */
    private final class Pushed implements PageEventSink {

        @Override
        public boolean pageAlloc(long handle, int order, int gfp, int cpu, long timeNanos) {
            events++;
            advanceTime(timeNanos);
            boolean ok = allocate(handle, order, gfp, cpu);
            afterEvent();
            return ok;
        }

        @Override
        public void pageFree(long handle, int order, int cpu, long timeNanos) {
            events++;
            advanceTime(timeNanos);
            checkOrderAndCpu(order, cpu, EventType.PAGE_FREE);
            free(handle, order, cpu);
            afterEvent();
        }

        @Override
        public void tick(long timeNanos) {
            events++;
            advanceTime(timeNanos);
            EventLoop.this.tick(timeNanos);
            afterEvent();
        }
    }

    /**
     * A pushed PAGE_ALLOC (no PFN, no LRU flags): {@link #pageAlloc} with one probe of the handle map instead of
     * two: the handle is put after the allocation, and a handle found live then is the workload's error as
     * before (a {@link PageEventSource} keeps the contract; the allocation it made stays).
     */
    private boolean allocate(long handle, int order, int gfp, int cpu) {
        checkOrderAndCpu(order, cpu, EventType.PAGE_ALLOC);
        long before = cycles();
        hot = HOT_ALLOCATE;
        long pfn = allocator.allocate(order, gfp, cpu);
        if (pfn == PageAllocator.NO_PAGE) {
            allocFailed[order]++;
            return false;
        }
        allocOk[order]++;
        latency.record(order, cycles() - before);
        long old = pfnByHandle.put(handle, pfn << ORDER_BITS | order);
        if (old >= 0) {
            pfnByHandle.put(handle, old);
            throw violation("PAGE_ALLOC handle " + handle + " is already live");
        }
        if (handleByPfn != null) {
            handleByPfn.put(pfn, handle);
        }
        return true;
    }

    private void advanceTime(long t) {
        if (t > now) {
            now = t;
        }
        while (tickNanos > 0 && now >= nextTick) {
            tick(nextTick);
            nextTick += tickNanos;
        }
    }

    private void dispatch(Event e) {
        if (e.type() == null) {
            throw failure(WORKLOAD, "next", new IllegalStateException("event without a type: " + e));
        }
        switch (e.type()) {
            case PAGE_ALLOC -> pageAlloc(e);
            case PAGE_FREE -> pageFree(e);
            case KMALLOC -> slab.kmalloc(e);
            case KFREE -> slab.kfree(e);
            case CACHE_CREATE -> slab.cacheCreate(e);
            case CACHE_ALLOC -> slab.cacheAlloc(e);
            case CACHE_FREE -> slab.cacheFree(e);
            case CACHE_DESTROY -> slab.cacheDestroy(e);
            case TICK -> tick(e.timeNanos());
            case COMPACT_MEMORY -> compactMemory(e);
            case PAGE_ACCESS -> pageAccess(e);
            case WRITEBACK -> writeback();
            default -> archEvent(e);
        }
    }

    /** {@code echo 1 > /proc/sys/vm/compact_memory} (or a node's {@code compact}); one node is modelled: node 0. */
    private void compactMemory(Event e) {
        if (e.handle() != -1 && e.handle() != 0) {
            throw failure(WORKLOAD, "next", new IllegalArgumentException("compact_memory of node " + e.handle()
                    + ": the machine has node 0 only"));
        }
        enter(ALLOCATOR, "compactMemory");
        allocator.compactMemory();
    }

    private void pageAlloc(Event e) {
        int order = e.order();
        checkOrderAndCpu(order, e.cpu(), e.type());
        long handle = e.handle();
        if (pfnByHandle.containsKey(handle)) {
            throw violation("PAGE_ALLOC handle " + handle + " is already live");
        }
        long pfn;
        long before = cyclesSoFar();
        if (e.pfn() >= 0) {
            requirePlacement(e);
            requireInsideMachine(e.pfn(), order);
            enter(ALLOCATOR, "allocateAt");
            pfn = allocator.allocateAt(e.pfn(), order, e.gfp(), e.cpu());
        } else {
            enter(ALLOCATOR, "allocate");
            pfn = allocator.allocate(order, e.gfp(), e.cpu());
        }
        if (pfn == PageAllocator.NO_PAGE) {
            allocFailed[order]++;
            enter(WORKLOAD, "allocationFailed");
            workload.allocationFailed(handle);
            return;
        }
        allocOk[order]++;
        latency.record(order, cyclesSoFar() - before);
        pfnByHandle.put(handle, pfn << ORDER_BITS | order);
        if (handleByPfn != null) {
            handleByPfn.put(pfn, handle);
        }
        if ((e.flags() & (Event.PAGE_FILE | Event.PAGE_ANON)) != 0) {
            enter(ALLOCATOR, "lruAdd");
            allocator.lruAdd(pfn, order, e.flags());
        }
    }

    /** A PAGE_ACCESS: the allocator ages the page; an allocation that is not live (reclaimed, freed) is counted and skipped. */
    private void pageAccess(Event e) {
        checkCpu(e.cpu(), e);
        long block = pfnByHandle.get(e.handle());
        if (block < 0) {
            unknownAccesses++;
            return;
        }
        accesses++;
        enter(ALLOCATOR, "pageAccessed");
        allocator.pageAccessed(block >>> ORDER_BITS, (e.flags() & Event.ACCESS_WRITE) != 0);
    }

    private void writeback() {
        writebacks++;
        enter(ALLOCATOR, "writeback");
        allocator.writeback();
    }

    /** The allocator freed a live block by reclaim or OOM kill: the handle is forgotten and the workload told. */
    private void reclaimed(long pfn, int order, boolean oomKill, long shadow) {
        Long2LongOpenHashMap byPfn = reverseMap();
        if (!byPfn.containsKey(pfn)) {
            return;
        }
        long handle = byPfn.remove(pfn);
        pfnByHandle.remove(handle);
        reclaimedBlocks++;
        reclaimedPages += 1L << order;
        if (oomKill) {
            oomKilledBlocks++;
        }
        int kind = currentKind();
        String operation = currentOperation();
        enter(WORKLOAD, shadow >= 0 ? "evicted" : "reclaimed");
        if (shadow >= 0) {
            workload.evicted(handle, shadow);
        } else {
            workload.reclaimed(handle, oomKill);
        }
        enter(kind, operation);
    }

    /** Blocks and pages the allocator freed by reclaim (OOM kills included), OOM-killed blocks, accesses, unknown accesses, writebacks. */
    @Override
    public ReclaimTotals reclaimTotals() {
        return new ReclaimTotals(reclaimedBlocks, reclaimedPages, oomKilledBlocks, accesses, unknownAccesses, writebacks);
    }

    /**
     * An arch event; one that names a page allocation by handle gets that allocation's PFN or address.
     * Naming an allocation that is not live (never made, failed, or freed) breaks the workload contract.
     */
    private void archEvent(Event e) {
        if (e.allocation() >= 0) {
            long block = pfnByHandle.get(e.allocation());
            if (block < 0) {
                throw violation(e.type() + " names allocation " + e.allocation() + ", which is not live");
            }
            long pfn = block >>> ORDER_BITS;
            switch (e.type()) {
                case DMA_MAP, DMA_UNMAP -> e.withAddress((pfn << pageShift) + e.address());
                default -> e.withPfn(pfn);
            }
        }
        enter(ARCH, "onEvent");
        arch.onEvent(e);
    }

    /** {@link #cyclesSoFar} for the page path: the arch hooks are asked only when there are some. */
    private long cycles() {
        hot = HOT_CYCLES;
        long c = allocator.cycles();
        if (archCycles) {
            enter(ARCH, "cycles");
            c += arch.cycles();
        }
        return c;
    }

    /** The cost model's cycles so far: the page allocator's plus the arch hooks'. */
    private long cyclesSoFar() {
        enter(ALLOCATOR, "cycles");
        long c = allocator.cycles();
        enter(ARCH, "cycles");
        return c + arch.cycles();
    }

    /**
     * An exact replay's block must lie in the machine's PFN range (the allocator's zones); otherwise the
     * trace does not fit the scenario's machine, an input error at the trace line when the workload says
     * where its events come from ({@link EventOrigin}).
     */
    private void requireInsideMachine(long pfn, int order) {
        if (span.holds(pfn, order)) {
            return;
        }
        String message = String.format(java.util.Locale.ROOT, "exact replay: a page allocation at pfn 0x%x (order %d)"
                + " is outside the scenario's machine (pfn 0x%x to 0x%x); replay it on a platform whose memory holds it,"
                + " or use --mode policy", pfn, order, span.firstPfn(), span.endPfn() - 1);
        if (workload instanceof EventOrigin origin) {
            throw new InputException(new InputProblem(origin.eventSource(), (int) Math.min(Integer.MAX_VALUE, origin.eventLine()),
                    0, "", message));
        }
        throw new InputException(new InputProblem(scenario.workload().origin().source(), 0, 0, "workload", message));
    }

    /** Events that name a PFN (exact trace replay) need an allocator that can place blocks. */
    private void requirePlacement(Event e) {
        if (!placeAtPfn) {
            throw new InputException(new InputProblem(scenario.workload().origin().source(), 0, 0,
                    PluginKind.PAGE_ALLOCATOR.label(), "workload '" + ids[WORKLOAD] + "' places allocations at PFNs"
                    + " (exact replay), which page-allocator '" + ids[ALLOCATOR] + "' cannot do"));
        }
    }

    private void pageFree(Event e) {
        checkOrderAndCpu(e.order(), e.cpu(), e.type());
        free(e.handle(), e.order(), e.cpu());
    }

    private void free(long handle, int order, int cpu) {
        long block = pfnByHandle.remove(handle); // one probe; put back if the free is refused
        if (block < 0) {
            unknownFrees++;
            return;
        }
        if ((block & ORDER_MASK) != order) {
            pfnByHandle.put(handle, block);
            throw violation("PAGE_FREE handle " + handle + " has order " + order
                    + ", but was allocated with order " + (block & ORDER_MASK));
        }
        long pfn = block >>> ORDER_BITS;
        if (handleByPfn != null) {
            handleByPfn.remove(pfn);
        }
        freed++;
        hot = HOT_FREE;
        allocator.free(pfn, order, cpu);
    }

    /** The PFN → handle map, built from the handle map on first use (the loop keeps it from then on). */
    private Long2LongOpenHashMap reverseMap() {
        Long2LongOpenHashMap m = handleByPfn;
        if (m == null) {
            m = LongMaps.create(Math.max(1 << 12, pfnByHandle.size()), -1);
            Long2LongOpenHashMap reverse = m;
            pfnByHandle.forEach((handle, block) -> reverse.put(block >>> ORDER_BITS, handle));
            handleByPfn = m;
        }
        return m;
    }

    private void migrated(long oldPfn, long newPfn, int order) {
        Long2LongOpenHashMap byPfn = reverseMap();
        if (byPfn.containsKey(oldPfn)) {
            long handle = byPfn.remove(oldPfn);
            byPfn.put(newPfn, handle);
            pfnByHandle.put(handle, newPfn << ORDER_BITS | order);
            migrated++;
        }
    }

    private void checkOrderAndCpu(int order, int cpu, EventType type) {
        if (order < 0 || order > maxOrder) {
            throw violation(type + " order must be in [0, " + maxOrder + "]: " + order);
        }
        checkCpu(cpu, type);
    }

    void checkCpu(int cpu, Event e) {
        checkCpu(cpu, e.type());
    }

    private void checkCpu(int cpu, EventType type) {
        if (cpu < 0 || cpu >= cpus) {
            throw violation(type + " cpu must be in [0, " + (cpus - 1) + "]: " + cpu);
        }
    }

    PluginFailureException violation(String message) {
        return failure(WORKLOAD, "next", new IllegalStateException(message));
    }

    private void tick(long t) {
        ticks++;
        enter(ALLOCATOR, "tick");
        allocator.tick(t);
        if (cache != null) {
            enter(CACHE, "tick");
            cache.tick(t);
        }
    }

    private void checkInvariants() {
        enter(ALLOCATOR, "checkInvariants");
        allocator.checkInvariants();
        if (cache != null) {
            enter(CACHE, "checkInvariants");
            cache.checkInvariants();
        }
    }

    @Override
    public Scenario scenario() {
        return scenario;
    }

    @Override
    public KernelVersion kernel() {
        return scenario.kernel();
    }

    @Override
    public Platform platform() {
        return platform;
    }

    @Override
    public int cpus() {
        return cpus;
    }

    @Override
    public PageAllocator pageAllocator() {
        return allocator;
    }

    @Override
    public Optional<ObjectCache> objectCache() {
        return Optional.ofNullable(cache);
    }

    @Override
    public ArchHooks archHooks() {
        return arch;
    }

    @Override
    public long eventsProcessed() {
        return events;
    }

    @Override
    public long simulatedNanos() {
        return now;
    }

    long ticks() {
        return ticks;
    }

    /** The host's wall-clock time {@link #run} took, once it has returned (0 before). */
    long loopNanos() {
        return loopNanos;
    }

    @Override
    public long[] allocSuccessByOrder() {
        return allocOk.clone();
    }

    @Override
    public long[] allocFailureByOrder() {
        return allocFailed.clone();
    }

    @Override
    public PageTotals pageTotals() {
        // allocations and failures are the per-order counters' sums (one increment per allocation, not two)
        return new PageTotals(java.util.Arrays.stream(allocOk).sum(), java.util.Arrays.stream(allocFailed).sum(), freed,
                unknownFrees, migrated);
    }

    @Override
    public SlabTotals slabTotals() {
        return slab.totals();
    }
}
