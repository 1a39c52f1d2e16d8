package io.kmemsim.engine.twin;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.FreeAreaSnapshot;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageStateImage;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.procfs.BuddyinfoParser;
import io.kmemsim.engine.procfs.BuddyinfoRenderer;
import io.kmemsim.engine.procfs.FreeAreaSnapshots;
import io.kmemsim.engine.procfs.Pagetypeinfo;
import io.kmemsim.engine.procfs.PagetypeinfoParser;
import io.kmemsim.engine.procfs.PagetypeinfoRenderer;
import io.kmemsim.engine.procfs.ZoneinfoParser;
import io.kmemsim.engine.scenario.ComponentConfig;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import io.kmemsim.engine.trace.TraceFormat;
import io.kmemsim.engine.trace.TraceReader;
import io.kmemsim.engine.twin.boot.BootTwin;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code kmemsim twin}: the digital twin of the machine a bundle was captured on. Reads the bundle,
 * derives the machine, rebuilds the start state with positions ({@link StartState}), replays the trace
 * ({@link TwinReplay}), runs {@code compact_memory} when the bundle has a compacted state, and compares
 * each end state with the kernel's.
 *
 * <p>The twin's components are the built-in {@code buddy} page allocator with the bundle's vm sysctls,
 * and the {@code linux} fallback and compaction policies, looked up by id through the registry.
 */
public final class Twin {

    /** How the trace is replayed. */
    public enum Mode {
        /** Every allocation at the kernel's PFN, per-CPU lists as the trace shows them. */
        EXACT,
        /** The simulated allocator places each traced allocation. */
        POLICY;

        /** Parses {@code exact} or {@code policy} (any case). */
        public static Mode parse(String s) {
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("mode must be exact or policy: " + s);
        }
    }

    private Twin() {
    }

    /**
     * Runs the twin of the bundle in {@code dir}, with the untraced window before {@code compact_memory}
     * rebuilt ({@link UntracedWindow}). Bad or missing files are {@link InputException}s.
     */
    public static TwinResult run(Path dir, Mode mode, ProviderLookup lookup) {
        return run(dir, mode, lookup, true);
    }

    /**
     * Runs the twin of the bundle in {@code dir}; {@code window} false leaves out the untraced window between
     * the after and compacted snapshots (compact_memory then runs right after the replay).
     */
    public static TwinResult run(Path dir, Mode mode, ProviderLookup lookup, boolean window) {
        Bundle b = Bundle.open(dir);
        Machine machine = MachineReader.read(b);
        FreeAreaSnapshot before = snapshot(b, "buddyinfo.before.txt", "pagetypeinfo.before.txt");
        for (FreeAreaSnapshot.ZoneFreeArea z : before.zones()) {
            boolean known = machine.zones().zones().stream()
                    .anyMatch(e -> e.node() == z.node() && e.zone() == z.zone() && e.startPfn() >= 0);
            if (!known) {
                throw new InputException(new io.kmemsim.engine.InputProblem(b.source("buddyinfo.before.txt"), 0, 0, "zone",
                        "node " + z.node() + " zone " + z.zone().printedName()
                                + " has free blocks but zoneinfo.before.txt has no populated zone of that name with a start_pfn"));
            }
        }
        FreeAreaSnapshot realAfter = snapshot(b, "buddyinfo.after.txt", null);
        Optional<FreeAreaSnapshot> realCompacted = b.has("buddyinfo.compacted.txt")
                ? Optional.of(snapshot(b, "buddyinfo.compacted.txt", null)) : Optional.empty();
        // the untraced window's evidence is read (and checked) before the replay; it is applied before compact_memory
        List<String> windowNotes = new ArrayList<>();
        if (realCompacted.isPresent() && !window) {
            windowNotes.add("untraced window before compact_memory not rebuilt (--no-window)");
        }
        Optional<UntracedWindow> w = realCompacted.isPresent() && window
                ? UntracedWindow.read(b, machine.cpus(), windowNotes) : Optional.empty();
        Pagetypeinfo typesBefore = pagetypeinfo(b, "pagetypeinfo.before.txt");
        Optional<Pagetypeinfo> typesAfter = b.has("pagetypeinfo.after.txt")
                ? Optional.of(pagetypeinfo(b, "pagetypeinfo.after.txt")) : Optional.empty();
        PageEvents events;
        try (TraceReader reader = TraceFormat.text(b.reader("trace.txt"), b.source("trace.txt"), machine.kernel(), false)) {
            events = PageEvents.read(reader);
        }
        TwinContext ctx = components(machine, lookup, slabStart(b).isPresent());
        PageAllocator a = ctx.allocator;
        String id = ctx.allocatorId;
        StartState start = new StartState(machine, a.maxOrder(), a.pageblockOrder());
        if (b.has("vmstat.before.txt") && b.has("vmstat.after.txt")) {
            // compaction inside the traced window takes free pages with no trace event (StartState.compactionInTrace)
            start.compactionInTrace(UntracedWindow.vmstat(b, "vmstat.after.txt").getOrDefault("compact_isolated", 0L)
                    - UntracedWindow.vmstat(b, "vmstat.before.txt").getOrDefault("compact_isolated", 0L));
        }
        start.unseenPcpOnUnrefilledPageblocks(mode == Mode.POLICY);
        start.learnFromTrace(events);
        b.bytes("kpageflags.before.bin").ifPresent(start::learnFromKpageflags);
        if (b.has("iomem.txt")) {
            start.kernelImageFromIomem(b.text("iomem.txt"));
            start.memblockReservedFromIomem(b.text("iomem.txt"), initrdFreedKib(b));
        }
        PageStateImage image = start.build(before, pageblockCounts(typesBefore));
        try {
            FaultBoundary.run(id, "page allocator", "importPageState", () -> a.importPageState(image));
        } catch (PluginFailureException e) {
            if (e.getCause() instanceof IllegalArgumentException misfit) {
                throw new InputException(new io.kmemsim.engine.InputProblem(b.source("zoneinfo.before.txt"), 0, 0, "",
                        "the start state (zoneinfo.before.txt, buddyinfo.before.txt, pagetypeinfo.before.txt) does not fit"
                                + " the machine: " + misfit.getMessage()));
            }
            throw e;
        }
        Long2LongOpenHashMap allocated = LongMaps.create(1 << 12, -1);
        for (PageStateImage.Block blk : image.blocks()) {
            if (blk.kind() == PageStateImage.Kind.ALLOCATED || blk.kind() == PageStateImage.Kind.ALLOCATED_MOVABLE) {
                allocated.put(blk.pfn(), blk.order());
            }
        }
        TwinReplay replay = new TwinReplay(a, events, start, machine);
        FaultBoundary.run(id, "page allocator", mode == Mode.EXACT ? "exact replay" : "policy replay", () -> {
            if (mode == Mode.EXACT) {
                replay.exact(allocated);
            } else {
                replay.policy(allocated);
            }
        });
        String buddyinfo = BuddyinfoRenderer.render(List.of(a));
        String pagetypeinfo = PagetypeinfoRenderer.render(List.of(a), machine.config());
        ZoneComparison after = compare(realAfter, a);
        List<TwinResult.PageblockRow> pageblocks = pageblocks(a, typesAfter);
        Optional<ZoneComparison> compacted = Optional.empty();
        Optional<String> compactedText = Optional.empty();
        long[] compactBefore = new long[COMPACT_COUNTERS.size()];
        for (int k = 0; k < compactBefore.length; k++) {
            compactBefore[k] = counter(a, COMPACT_COUNTERS.get(k));
        }
        Map<String, Long> windowFigures = new LinkedHashMap<>();
        if (realCompacted.isPresent()) {
            w.ifPresent(x -> FaultBoundary.run(id, "page allocator", "untraced window", () -> x.beforeCompaction(a)));
            if (w.isPresent()) {
                int cpu = w.get().compactingCpu();
                FaultBoundary.run(id, "page allocator", "compactMemory", () -> a.compactMemory(cpu));
            } else {
                FaultBoundary.run(id, "page allocator", "compactMemory", a::compactMemory);
            }
            w.ifPresent(x -> FaultBoundary.run(id, "page allocator", "untraced window", () -> x.afterCompaction(a)));
            w.ifPresent(x -> {
                UntracedWindow.Step st = x.step();
                windowFigures.putAll(st.figures());
                windowNotes.add(String.format(java.util.Locale.ROOT, "untraced window (inferred from vmstat and zoneinfo"
                        + " and pagetypeinfo after → compacted, not traced): before compact_memory %d order-0 movable pages"
                        + " allocated on CPU %d, %d per-CPU pages bulk-freed and %d unmovable/reclaimable pages refilled;"
                        + " after it, to the kernel's list counts, per-CPU pages bulk-freed / freed from other lists /"
                        + " refilled: %d / %d / %d",
                        st.allocationsMade(), st.allocCpu(), st.before().get("pcp_pages_bulk_freed"),
                        st.before().getOrDefault("pcp_pages_refilled_non_movable", 0L),
                        st.after().get("pcp_pages_bulk_freed"),
                        st.after().get("pcp_pages_freed_from_other_lists"), st.after().get("pcp_pages_refilled")));
                if (st.netChange() > 0) {
                    windowNotes.add("untraced window: the kernel freed " + st.netChange() + " pages net; not applied"
                            + " (which pages is not in the bundle)");
                }
            });
            compacted = Optional.of(compare(realCompacted.get(), a));
            compactedText = Optional.of(BuddyinfoRenderer.render(List.of(a)));
        }
        Map<String, Long> stats = new LinkedHashMap<>(start.stats());
        if (realCompacted.isPresent()) {
            // the kernel's vmstat counters of the same names, as deltas over the compact_memory step (compare them
            // with vmstat.compacted.txt − vmstat.after.txt, which also count the untraced work between the two)
            for (int k = 0; k < compactBefore.length; k++) {
                stats.put("compact_memory." + COMPACT_COUNTERS.get(k), counter(a, COMPACT_COUNTERS.get(k)) - compactBefore[k]);
            }
        }
        Optional<SlabResult> slab = slab(b, machine, ctx, events);
        for (var t : io.kmemsim.engine.trace.TraceEventType.values()) {
            if (slab.isPresent() && SLAB_EVENTS.contains(t)) {
                continue;
            }
            if (events.otherByType[t.ordinal()] > 0) {
                stats.put("trace." + t.kernelName() + " (not replayed: object or batch events)", events.otherByType[t.ordinal()]);
            }
        }
        List<String> notes = new ArrayList<>(machine.notes());
        notes.addAll(start.notes());
        notes.addAll(windowNotes);
        if (!b.has("kpageflags.before.bin")) {
            notes.add("no kpageflags.before.bin: free block positions inferred from the trace's first use of each PFN"
                    + " and pagetypeinfo.before's counts; untouched free blocks placed on untouched PFNs");
        }
        Optional<String> boot = simulatedBootZoneinfo(b, lookup);
        List<TwinResult.BootField> bootFields = boot.map(text -> compareBoot(b, text, stats, notes)).orElse(List.of());
        return new TwinResult(dir, mode, machine, replay.traced, replay.replayed, replay.notReplayed(), stats, notes,
                after, compacted, pageblocks, buddyinfo, pagetypeinfo, compactedText, boot, bootFields, slab, windowFigures);
    }

    private static final java.util.Set<io.kmemsim.engine.trace.TraceEventType> SLAB_EVENTS = java.util.EnumSet.of(
            io.kmemsim.engine.trace.TraceEventType.KMEM_CACHE_ALLOC, io.kmemsim.engine.trace.TraceEventType.KMEM_CACHE_FREE,
            io.kmemsim.engine.trace.TraceEventType.KMALLOC, io.kmemsim.engine.trace.TraceEventType.KFREE);

    /** The slabinfo the slab twin starts from: slabinfo.before.txt, else slabinfo.boot.txt. */
    private static Optional<String> slabStart(Bundle b) {
        for (String n : new String[] {"slabinfo.before.txt", "slabinfo.boot.txt"}) {
            if (b.has(n)) {
                return Optional.of(n);
            }
        }
        return Optional.empty();
    }

    /**
     * The slab twin ({@link SlabTwin}): runs when the bundle has a start slabinfo and an object cache was created.
     * Its pages come from {@code ctx.slabPages}, a second page allocator of the same machine used only to account
     * slab pages, so the twin's buddy is not touched twice for the same slab page.
     */
    private static Optional<SlabResult> slab(Bundle b, Machine machine, TwinContext ctx, PageEvents events) {
        Optional<String> startName = slabStart(b);
        if (startName.isEmpty() || ctx.objectCache == null) {
            return Optional.empty();
        }
        List<SlabTwin.Row> start = slabinfo(b, startName.get());
        List<SlabTwin.Row> end = b.has("slabinfo.after.txt") ? slabinfo(b, "slabinfo.after.txt") : List.of();
        Map<String, Map<String, String>> tsv = Map.of();
        if (b.has("slab_caches.boot.tsv")) {
            try (BufferedReader r = b.reader("slab_caches.boot.tsv")) {
                tsv = SlabTwin.parseTsv(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        SlabTwin st = new SlabTwin(ctx.objectCache);
        Map<String, Map<String, String>> geometry = tsv;
        Map<String, Long> preTrace = SlabTwin.preTraceFrees(events.slab);
        FaultBoundary.run(ctx.objectCacheId, "object cache", "start caches", () -> st.createStartCaches(start, geometry));
        Map<String, Map<String, String>> afterTsv = b.has("slab_caches.after.tsv") ? tsv(b, "slab_caches.after.tsv") : Map.of();
        List<String> created = new ArrayList<>();
        FaultBoundary.run(ctx.objectCacheId, "object cache", "trace caches",
                () -> created.addAll(st.createTraceCaches(events.slab, start, end, afterTsv)));
        int[] cacheOf = st.resolveNames(events.slab, machine.config().pageSize().shift());
        FaultBoundary.run(ctx.objectCacheId, "object cache", "start objects",
                () -> st.fillStart(events.slab, cacheOf, preTrace, machine.cpus()));
        Map<String, long[]> before = st.counts();
        FaultBoundary.run(ctx.objectCacheId, "object cache", "slab replay", () -> st.replay(events.slab, cacheOf, machine.cpus()));
        List<SlabResult.Row> rows = st.compare(end, before, events.slab, machine.cpus());
        String text = io.kmemsim.engine.results.SlabinfoRenderer.render(st.slabinfo());
        List<String> evidence = new ArrayList<>(SlabStartEvidence.describe(b, startName.get(), events));
        evidence.addAll(st.notes);
        return Optional.of(new SlabResult(startName.get(), evidence, st.traced, st.replayed, st.replayedPerCache, st.failures(),
                rows, text, st.resolution, created));
    }

    private static Map<String, Map<String, String>> tsv(Bundle b, String name) {
        try (BufferedReader r = b.reader(name)) {
            return SlabTwin.parseTsv(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<SlabTwin.Row> slabinfo(Bundle b, String name) {
        try (BufferedReader r = b.reader(name)) {
            return SlabTwin.parseSlabinfo(r, b.source(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final java.util.regex.Pattern INITRD_FREED =
            java.util.regex.Pattern.compile("Freeing initrd memory: (\\d+)K");

    /** The {@code Freeing initrd memory: NK} figure of the boot log, or -1. */
    private static long initrdFreedKib(Bundle b) {
        if (!b.has("dmesg.txt")) {
            return -1;
        }
        java.util.regex.Matcher m = INITRD_FREED.matcher(b.text("dmesg.txt"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /**
     * The simulated boot-time zoneinfo of the bundle's machine (written as {@code OUT/zoneinfo.boot}): the machine,
     * its kernel's reservations and sysctls read from the boot lines ({@link BootTwin}), booted on the page allocator
     * of {@code lookup}. Empty when the bundle has no boot log.
     */
    static Optional<String> simulatedBootZoneinfo(Bundle b, ProviderLookup lookup) {
        if (!b.has("dmesg.txt")) {
            return Optional.empty();
        }
        return Optional.of(BootTwin.fromBundle(b.dir()).bootZoneinfo(lookup));
    }

    /**
     * Compares the simulated boot zoneinfo with the real {@code zoneinfo.boot.txt}, field by field, when there is one;
     * returns the rows compared (the real file's fields in its order, then any only the simulation has).
     */
    private static List<TwinResult.BootField> compareBoot(Bundle b, String simulated, Map<String, Long> stats,
                                                         List<String> notes) {
        if (!b.has("zoneinfo.boot.txt")) {
            return List.of();
        }
        Map<String, String> real;
        try (java.io.BufferedReader r = b.reader("zoneinfo.boot.txt")) {
            real = BootTwin.comparedFields(ZoneinfoParser.parse(r, b.source("zoneinfo.boot.txt")));
        } catch (java.io.IOException e) {
            throw new InputException(new io.kmemsim.engine.InputProblem(b.source("zoneinfo.boot.txt"), 0, 0, "",
                    "cannot read: " + e.getMessage()));
        }
        Map<String, String> sim = BootTwin.comparedFields(ZoneinfoParser.parse(
                new java.io.BufferedReader(new java.io.StringReader(simulated)), "simulated zoneinfo.boot"));
        long differing = 0;
        for (Map.Entry<String, String> e : real.entrySet()) {
            String s = sim.get(e.getKey());
            if (!e.getValue().equals(s)) {
                if (differing++ < 10) {
                    notes.add("zoneinfo.boot: " + e.getKey() + " real " + e.getValue() + ", simulated " + (s == null ? "absent" : s));
                }
            }
        }
        stats.put("zoneinfo.boot.fields_compared", (long) real.size());
        stats.put("zoneinfo.boot.fields_differing", differing);
        List<TwinResult.BootField> rows = new ArrayList<>();
        for (Map.Entry<String, String> e : real.entrySet()) {
            rows.add(bootField(e.getKey(), e.getValue(), sim.get(e.getKey())));
        }
        for (Map.Entry<String, String> e : sim.entrySet()) {
            if (!real.containsKey(e.getKey())) {
                rows.add(bootField(e.getKey(), null, e.getValue()));
            }
        }
        return rows;
    }

    /** Splits a compared-field key {@code "node N ZONE FIELD…"} into its parts. */
    private static TwinResult.BootField bootField(String key, String real, String sim) {
        String[] p = key.split(" ", 4);
        return new TwinResult.BootField(Integer.parseInt(p[1]), p[2], p[3], real, sim);
    }

    private static final List<String> COMPACT_COUNTERS = List.of("pgmigrate_success", "pgmigrate_fail",
            "compact_migrate_scanned", "compact_free_scanned", "compact_isolated");

    private static long counter(PageAllocator a, String name) {
        long[] v = {0};
        a.forEachCounter((k, n) -> {
            if (k.equals(name)) {
                v[0] = n;
            }
        });
        return v[0];
    }

    private static TwinContext components(Machine machine, ProviderLookup lookup, boolean slab) {
        StringBuilder opts = new StringBuilder();
        option(opts, "min-free-kbytes", machine.sysctls().get("min_free_kbytes"));
        option(opts, "watermark-scale-factor", machine.sysctls().get("watermark_scale_factor"));
        option(opts, "watermark-boost-factor", machine.sysctls().get("watermark_boost_factor"));
        option(opts, "percpu-pagelist-high-fraction", machine.sysctls().get("percpu_pagelist_high_fraction"));
        option(opts, "movablecore-mb", machine.movablecoreMb() > 0 ? Long.toString(machine.movablecoreMb()) : null);
        String ratios = machine.sysctls().get("lowmem_reserve_ratio");
        if (ratios != null && ratios.trim().split("\\s+").length == machine.config().zones().size()) {
            opts.append(opts.length() > 0 ? ", " : "").append("lowmem-reserve-ratio: [")
                    .append(String.join(", ", ratios.trim().split("\\s+"))).append(']');
        }
        // The scenario loader binds the components' options; its platform and workload slots must name
        // registered providers but are never created (the bundle's machine is the platform, the trace drives).
        String platform = anyId(lookup, PluginKind.PLATFORM, "arm64-virt");
        String workload = anyId(lookup, PluginKind.WORKLOAD, "churn");
        String text = "name: twin\nkernel: \"" + machine.kernel() + "\"\ncpus: " + machine.cpus() + "\n"
                + "platform: " + platform + "\n"
                + "page-allocator: {id: buddy, options: {" + opts + "}}\n"
                + "fallback: linux\ncompaction: linux\nworkload: " + workload + "\n";
        // The slab twin's object cache: the kernel's caches are created from slabinfo, which lists them after the
        // kernel's own merging, so the cache must not merge them again.
        boolean withSlab = slab && lookup.find(PluginKind.OBJECT_CACHE, "slub").isPresent();
        if (withSlab) {
            text += "object-cache: {id: slub, options: {arch: " + ("x86_64".equals(machine.arch()) ? "x86_64" : "arm64")
                    + ", merge: false}}\n";
        }
        Scenario s = new ScenarioLoader(lookup).parse(text, "twin machine (from " + "sysctl_vm_all.txt)", "twin",
                ScenarioLoader.Format.YAML, List.of());
        TwinContext ctx = new TwinContext(machine);
        s.fallback().ifPresent(c -> ctx.fallback = Optional.of(create(c, ctx, FallbackPolicy.class)));
        s.compaction().ifPresent(c -> ctx.compaction = create(c, ctx, CompactionPolicy.class));
        ctx.allocator = create(s.pageAllocator(), ctx, PageAllocator.class);
        ctx.allocatorId = s.pageAllocator().id();
        if (withSlab && s.objectCache().isPresent()) {
            // Slab pages are accounted on a second page allocator of the same machine (all free, never compared):
            // the trace's mm_page_alloc events already put every slab page into the twin's buddy.
            TwinContext slabCtx = new TwinContext(machine);
            slabCtx.fallback = ctx.fallback;
            slabCtx.compaction = ctx.compaction;
            slabCtx.allocator = create(s.pageAllocator(), slabCtx, PageAllocator.class);
            ctx.objectCache = create(s.objectCache().get(), slabCtx, io.kmemsim.api.slab.ObjectCache.class);
            ctx.objectCacheId = s.objectCache().get().id();
        }
        var caps = ctx.allocator.capabilities();
        for (PageAllocator.Capability c : new PageAllocator.Capability[] {PageAllocator.Capability.IMPORT_PAGE_STATE,
                PageAllocator.Capability.TRACED_PCP, PageAllocator.Capability.PLACE_AT_PFN,
                PageAllocator.Capability.COMPACT_MEMORY}) {
            if (!caps.contains(c)) {
                throw new IllegalStateException("page allocator '" + s.pageAllocator().id() + "' lacks " + c);
            }
        }
        return ctx;
    }

    /** {@code preferred} when registered (its options all have defaults), else the first provider of {@code kind}. */
    private static String anyId(ProviderLookup lookup, PluginKind kind, String preferred) {
        if (lookup.find(kind, preferred).isPresent()) {
            return preferred;
        }
        return lookup.providers(kind).stream().map(e -> e.id()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + kind.label() + " provider is registered"));
    }

    private static void option(StringBuilder sb, String key, String value) {
        if (value == null || !value.trim().matches("-?\\d+")) {
            return;
        }
        sb.append(sb.length() > 0 ? ", " : "").append(key).append(": ").append(value.trim());
    }

    private static <T> T create(ComponentConfig c, TwinContext ctx, Class<T> type) {
        @SuppressWarnings("unchecked")
        Provider<?, Record> provider = (Provider<?, Record>) c.entry().provider();
        Object created = FaultBoundary.call(c.entry(), "create", () -> provider.create(c.options(), ctx));
        return type.cast(created);
    }

    private static FreeAreaSnapshot snapshot(Bundle b, String buddyinfo, String types) {
        FreeAreaSnapshot s;
        try (BufferedReader r = b.reader(buddyinfo)) {
            s = BuddyinfoParser.parse(r, b.source(buddyinfo));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return types == null ? s : FreeAreaSnapshots.combine(s, pagetypeinfo(b, types), b.source(types));
    }

    private static Pagetypeinfo pagetypeinfo(Bundle b, String name) {
        try (BufferedReader r = b.reader(name)) {
            return PagetypeinfoParser.parse(r, b.source(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, long[]> pageblockCounts(Pagetypeinfo p) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Pagetypeinfo.ZoneTypes z : p.zones()) {
            long[] byOrdinal = new long[MigrateType.values().length];
            for (int k = 0; k < p.types().size(); k++) {
                byOrdinal[p.types().get(k).ordinal()] = z.pageblocks()[k];
            }
            out.put(z.zone().printedName(), byOrdinal);
        }
        return out;
    }

    private static ZoneComparison compare(FreeAreaSnapshot real, PageAllocator a) {
        List<ZoneComparison.Row> rows = new ArrayList<>();
        for (FreeAreaSnapshot.ZoneFreeArea z : real.zones()) {
            long[] r = new long[z.freeBlocks().size()];
            long[] s = new long[r.length];
            for (int o = 0; o < r.length; o++) {
                r[o] = z.freeBlocks().get(o);
            }
            for (Zone sz : a.zones()) {
                if (sz.node() == z.node() && sz.type() == z.zone()) {
                    for (int o = 0; o < r.length && o <= a.maxOrder(); o++) {
                        s[o] = sz.freeBlocks(o);
                    }
                }
            }
            rows.add(new ZoneComparison.Row(z.node(), z.zone(), r, s));
        }
        return new ZoneComparison(rows);
    }

    private static List<TwinResult.PageblockRow> pageblocks(PageAllocator a, Optional<Pagetypeinfo> real) {
        List<TwinResult.PageblockRow> rows = new ArrayList<>();
        for (Zone z : a.zones()) {
            if (!z.populated()) {
                continue;
            }
            for (MigrateType t : MigrateType.values()) {
                long r = -1;
                if (real.isPresent()) {
                    r = 0;
                    for (Pagetypeinfo.ZoneTypes zt : real.get().zones()) {
                        int k = real.get().types().indexOf(t);
                        if (zt.zone() == z.type() && zt.node() == z.node() && k >= 0) {
                            r = zt.pageblocks()[k];
                        }
                    }
                }
                rows.add(new TwinResult.PageblockRow(z.node(), z.type(), t, r, z.pageblocks(t)));
            }
        }
        return rows;
    }
}
