package io.kmemsim.engine.run;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.mm.MigrationListener;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.ObjectCacheProvider;
import io.kmemsim.api.plugin.PageAllocatorProvider;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.Required;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.slab.CacheInfo;
import io.kmemsim.api.slab.CacheSpec;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.ProviderEntry;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.testkit.support.TestPlatforms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Small real providers for driving the simulation loop in tests. */
final class TestProviders {

    private TestProviders() {
    }

    /** Which operation of a component should throw (e.g. "allocate"), "" for none. */
    record PlatformOptions(int cpus, String failIn) {
        public PlatformOptions() {
            this(2, "");
        }
    }

    static final class TestPlatformProvider implements PlatformProvider<PlatformOptions> {
        @Override
        public String id() {
            return "test-board";
        }

        @Override
        public String description() {
            return "a board with one bank and the arm64 distribution config";
        }

        @Override
        public Class<PlatformOptions> optionsType() {
            return PlatformOptions.class;
        }

        @Override
        public Platform create(PlatformOptions options, ProviderContext context) {
            if (options.failIn().equals("create")) {
                throw new IllegalStateException("board exploded");
            }
            if (options.failIn().equals("context")) {
                context.pageAllocator();
            }
            return TestPlatforms.builder("test-board", KernelConfig.ARM64_DISTRO, options.cpus()).build();
        }
    }

    record AllocatorOptions(int pages, int maxOrder, String failIn, boolean migrateOnTick) {
        public AllocatorOptions() {
            this(64, 3, "", false);
        }
    }

    /**
     * A first-fit allocator over {@code pages} pages that logs every call; on tick (when asked) it moves
     * the lowest live block to the highest free aligned place and tells the migration listener.
     */
    static final class LogAllocator implements PageAllocator {
        final boolean[] used;
        final int[] orderAt;
        final int maxOrder;
        final String failIn;
        final boolean migrateOnTick;
        final List<String> log = new ArrayList<>();
        final ProviderContext context;
        MigrationListener listener;
        int invariantChecks;

        LogAllocator(AllocatorOptions o, ProviderContext context) {
            if (o.pages() <= 0) {
                throw new IllegalArgumentException("pages must be > 0: " + o.pages());
            }
            this.used = new boolean[o.pages()];
            this.orderAt = new int[o.pages()];
            Arrays.fill(orderAt, -1);
            this.maxOrder = o.maxOrder();
            this.failIn = o.failIn();
            this.migrateOnTick = o.migrateOnTick();
            this.context = context;
        }

        private boolean free(int start, int n) {
            for (int i = start; i < start + n; i++) {
                if (used[i]) {
                    return false;
                }
            }
            return true;
        }

        private void mark(int start, int order, boolean value) {
            for (int i = start; i < start + (1 << order); i++) {
                used[i] = value;
            }
            orderAt[start] = value ? order : -1;
        }

        @Override
        public long allocate(int order, int gfp, int cpu) {
            if (failIn.equals("allocate")) {
                throw new IllegalStateException("allocator bug");
            }
            int n = 1 << order;
            for (int start = 0; start + n <= used.length; start += n) {
                if (free(start, n)) {
                    mark(start, order, true);
                    log.add("alloc o" + order + " cpu" + cpu + " -> " + start);
                    return start;
                }
            }
            log.add("alloc o" + order + " cpu" + cpu + " -> none");
            return NO_PAGE;
        }

        @Override
        public void free(long pfn, int order, int cpu) {
            if (orderAt[(int) pfn] != order) {
                throw new IllegalArgumentException("free of a block not allocated: pfn " + pfn + " order " + order);
            }
            mark((int) pfn, order, false);
            log.add("free " + pfn + " o" + order);
        }

        @Override
        public void compactMemory() {
            log.add("compact_memory");
        }

        @Override
        public void tick(long nowNanos) {
            log.add("tick " + nowNanos);
            if (!migrateOnTick) {
                return;
            }
            for (int from = 0; from < used.length; from++) {
                if (orderAt[from] >= 0) {
                    int order = orderAt[from];
                    int n = 1 << order;
                    for (int to = used.length - n; to > from; to -= n) {
                        if (free(to, n)) {
                            mark(from, order, false);
                            mark(to, order, true);
                            log.add("migrate " + from + " -> " + to);
                            listener.migrated(from, to, order);
                            return;
                        }
                    }
                }
            }
        }

        @Override
        public void setMigrationListener(MigrationListener l) {
            this.listener = l;
        }

        @Override
        public int maxOrder() {
            return maxOrder;
        }

        @Override
        public int pageblockOrder() {
            return maxOrder;
        }

        @Override
        public List<? extends Zone> zones() {
            return List.of();
        }

        @Override
        public void drainPerCpuLists() {
        }

        @Override
        public void checkInvariants() {
            invariantChecks++;
            if (failIn.equals("checkInvariants")) {
                throw new IllegalStateException("free list corrupt");
            }
        }

        @Override
        public void forEachCounter(CounterVisitor visitor) {
            int live = 0;
            for (boolean u : used) {
                live += u ? 1 : 0;
            }
            visitor.counter("nr_used_pages", live);
            visitor.counter("nr_free_pages", used.length - live);
        }
    }

    static final class LogAllocatorProvider implements PageAllocatorProvider<AllocatorOptions> {
        LogAllocator last;

        @Override
        public String id() {
            return "test-allocator";
        }

        @Override
        public String description() {
            return "a first-fit allocator that logs its calls";
        }

        @Override
        public Class<AllocatorOptions> optionsType() {
            return AllocatorOptions.class;
        }

        @Override
        public PageAllocator create(AllocatorOptions options, ProviderContext context) {
            last = new LogAllocator(options, context);
            return last;
        }
    }

    /**
     * Options of the scripted workload: one event per line ({@code alloc H O [cpu]}, {@code free H O},
     * {@code kmalloc H SIZE}, {@code kfree H}, {@code create C NAME SIZE}, {@code calloc C H},
     * {@code cfree C H}, {@code destroy C}, {@code tick T}, {@code at T}), or {@code random} events.
     */
    record ScriptOptions(@Required List<String> script, int random, String failIn) {
        public ScriptOptions() {
            this(List.of(), 0, "");
        }
    }

    /** Plays its script, then {@code random} seeded alloc/free events; records allocation failures. */
    static final class ScriptedWorkload implements Workload {
        final List<String> script;
        final int random;
        final String failIn;
        final SplittableRandom rng;
        final List<Long> failed = new ArrayList<>();
        final List<Long> live = new ArrayList<>();
        int position;
        long nextHandle = 1_000_000;
        boolean closed;

        ScriptedWorkload(ScriptOptions o, long seed) {
            this.script = o.script();
            this.random = o.random();
            this.failIn = o.failIn();
            this.rng = new SplittableRandom(seed);
        }

        @Override
        public boolean next(Event into) {
            if (failIn.equals("next") && position == 1) {
                throw new IllegalStateException("workload ran off its script");
            }
            if (position < script.size()) {
                play(script.get(position++).split(" "), into);
                return true;
            }
            if (position++ < script.size() + random) {
                randomEvent(into);
                return true;
            }
            return false;
        }

        private void randomEvent(Event into) {
            if (!live.isEmpty() && rng.nextInt(3) == 0) {
                long h = live.remove(rng.nextInt(live.size()));
                into.pageFree(h >> 8, (int) (h & 0xff), rng.nextInt(2));
            } else {
                long h = nextHandle++;
                int order = rng.nextInt(4);
                live.add(h << 8 | order);
                into.pageAlloc(h, order, 0xcc0, rng.nextInt(2));
            }
        }

        private static void play(String[] w, Event into) {
            long a = w.length > 1 ? Long.parseLong(w[1]) : 0;
            switch (w[0]) {
                case "alloc" -> into.pageAlloc(a, Integer.parseInt(w[2]), 0xcc0, w.length > 3 ? Integer.parseInt(w[3]) : 0);
                case "free" -> into.pageFree(a, Integer.parseInt(w[2]), 0);
                case "kmalloc" -> into.kmalloc(a, Long.parseLong(w[2]), 0xcc0, 0);
                case "kfree" -> into.kfree(a, 0);
                case "create" -> into.cacheCreate(a, w[2], Long.parseLong(w[3]), 0, 0);
                case "calloc" -> into.cacheAlloc(a, Long.parseLong(w[2]), 0xcc0, 1);
                case "cfree" -> into.cacheFree(a, Long.parseLong(w[2]), 1);
                case "destroy" -> into.cacheDestroy(a);
                case "tick" -> into.tick(a);
                case "compact" -> into.compactMemory((int) a);
                case "at" -> into.pageAlloc(Long.parseLong(w[2]), 0, 0xcc0, 0).at(a);
                case "fault" -> into.pageFault(1, 0x400000, -1, 0, Event.FAULT_WRITE, 0).ofAllocation(a);
                default -> throw new IllegalArgumentException("unknown script word " + w[0]);
            }
        }

        @Override
        public long expectedEvents() {
            return script.size() + random;
        }

        @Override
        public void allocationFailed(long handle) {
            failed.add(handle);
            live.removeIf(h -> h >> 8 == handle);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class ScriptedWorkloadProvider implements WorkloadProvider<ScriptOptions> {
        ScriptedWorkload last;

        @Override
        public String id() {
            return "script";
        }

        @Override
        public String description() {
            return "plays a fixed script of events";
        }

        @Override
        public Class<ScriptOptions> optionsType() {
            return ScriptOptions.class;
        }

        @Override
        public Workload create(ScriptOptions options, ProviderContext context) {
            if (options.failIn().equals("create")) {
                throw new IllegalStateException("script unreadable");
            }
            last = new ScriptedWorkload(options, context.seed());
            return last;
        }
    }

    /** An object cache handing out increasing addresses and logging calls. */
    static final class LogCache implements ObjectCache {
        final List<String> log = new ArrayList<>();
        long nextAddress = 0xffff_0000_0000_1000L;
        int caches;
        final long failAbove;

        LogCache(long failAbove) {
            this.failAbove = failAbove;
        }

        @Override
        public int createCache(CacheSpec spec) {
            log.add("create " + spec.name() + " " + spec.size());
            return caches++;
        }

        @Override
        public void destroyCache(int cacheId) {
            log.add("destroy " + cacheId);
        }

        @Override
        public long alloc(int cacheId, int gfp, int cpu) {
            log.add("alloc " + cacheId + " -> " + Long.toHexString(nextAddress));
            long a = nextAddress;
            nextAddress += 64;
            return a;
        }

        @Override
        public void free(int cacheId, long address, int cpu) {
            log.add("free " + cacheId + " " + Long.toHexString(address));
        }

        @Override
        public long kmalloc(long size, int gfp, int cpu) {
            if (size > failAbove) {
                log.add("kmalloc " + size + " -> none");
                return NO_OBJECT;
            }
            long a = nextAddress;
            nextAddress += 64;
            log.add("kmalloc " + size + " -> " + Long.toHexString(a));
            return a;
        }

        @Override
        public void kfree(long address, int cpu) {
            log.add("kfree " + Long.toHexString(address));
        }

        @Override
        public long ksize(long address) {
            return 64;
        }

        @Override
        public List<CacheInfo> slabinfo() {
            return List.of();
        }

        @Override
        public void checkInvariants() {
        }

        @Override
        public void forEachCounter(CounterVisitor visitor) {
            visitor.counter("caches", caches);
        }
    }

    record CacheOptions(long failAbove) {
        public CacheOptions() {
            this(4096);
        }
    }

    static final class LogCacheProvider implements ObjectCacheProvider<CacheOptions> {
        LogCache last;

        @Override
        public String id() {
            return "test-cache";
        }

        @Override
        public String description() {
            return "an object cache that logs";
        }

        @Override
        public Class<CacheOptions> optionsType() {
            return CacheOptions.class;
        }

        @Override
        public ObjectCache create(CacheOptions options, ProviderContext context) {
            context.pageAllocator();
            last = new LogCache(options.failAbove());
            return last;
        }
    }

    /** A fresh set of providers (each test inspects the components its providers made). */
    static final class Set {
        final TestPlatformProvider platform = new TestPlatformProvider();
        final LogAllocatorProvider allocator = new LogAllocatorProvider();
        final ScriptedWorkloadProvider workload = new ScriptedWorkloadProvider();
        final LogCacheProvider cache = new LogCacheProvider();

        ProviderLookup lookup() {
            return ProviderLookup.of(List.of(
                    new ProviderEntry(PluginKind.PLATFORM, platform, "", "1", "classpath"),
                    new ProviderEntry(PluginKind.PAGE_ALLOCATOR, allocator, "", "2", "classpath"),
                    new ProviderEntry(PluginKind.WORKLOAD, workload, "", "3", "classpath"),
                    new ProviderEntry(PluginKind.OBJECT_CACHE, cache, "test-plugin", "4", "plugins/test.jar")));
        }
    }
}
