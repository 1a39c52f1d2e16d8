package io.kmemsim.engine.results;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.mm.PageblockOccupancy;
import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import io.kmemsim.api.plugin.ObjectCacheProvider;
import io.kmemsim.api.plugin.PageAllocatorProvider;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.ProviderContext;
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
import io.kmemsim.engine.scenario.Scenario;
import io.kmemsim.engine.scenario.ScenarioLoader;
import io.kmemsim.testkit.support.TestPlatforms;
import java.util.List;
import java.util.SplittableRandom;

/** Small real providers with a zone view, a slabinfo and a seeded workload, for running simulations in tests. */
final class ResultsFixtures {

    private ResultsFixtures() {
    }

    /** A scenario with the fixtures' providers; {@code set} are {@code --set} overrides. */
    static Scenario scenario(String... set) {
        String yaml = """
                name: fixture
                kernel: "6.1"
                seed: 11
                platform: board
                page-allocator: mini-buddy
                object-cache: mini-slab
                workload: random
                """;
        return new ScenarioLoader(lookup()).parse(yaml, "fixture.yaml", "fixture", ScenarioLoader.Format.YAML,
                List.of(set));
    }

    static ProviderLookup lookup() {
        return ProviderLookup.of(List.of(
                new ProviderEntry(PluginKind.PLATFORM, new BoardProvider(), "", "1.0", "classpath"),
                new ProviderEntry(PluginKind.PAGE_ALLOCATOR, new MiniBuddyProvider(), "mini", "2.0", "plugins/mini.jar"),
                new ProviderEntry(PluginKind.OBJECT_CACHE, new MiniSlabProvider(), "mini", "2.0", "plugins/mini.jar"),
                new ProviderEntry(PluginKind.WORKLOAD, new RandomWorkloadProvider(), "", "3.0", "classpath")));
    }

    record BoardOptions() {
    }

    static final class BoardProvider implements PlatformProvider<BoardOptions> {
        @Override
        public String id() {
            return "board";
        }

        @Override
        public String description() {
            return "two CPUs, arm64 distribution config";
        }

        @Override
        public Class<BoardOptions> optionsType() {
            return BoardOptions.class;
        }

        @Override
        public Platform create(BoardOptions options, ProviderContext context) {
            return TestPlatforms.builder("board", KernelConfig.ARM64_DISTRO, 2).build();
        }
    }

    /**
     * @param pages       pages of the single Normal zone (a multiple of 16)
     * @param failAt      the allocate call (1-based) that throws; 0 never
     * @param brokenView  when "always", the zone view throws; when "after-failure", it throws once an
     *                    allocate threw; "" never
     */
    record MiniBuddyOptions(int pages, int failAt, String brokenView) {
        public MiniBuddyOptions() {
            this(256, 0, "");
        }
    }

    /**
     * A first-fit allocator of aligned blocks over one zone, maxOrder 4, pageblock order 3; its free blocks
     * are the greedy aligned decomposition of the free pages (what a buddy allocator's merged lists hold).
     * Every free page is on the Movable list; every pageblock is Movable.
     */
    static final class MiniBuddy implements PageAllocator, Zone {
        static final int MAX_ORDER = 4;
        static final int PAGEBLOCK_ORDER = 3;
        final boolean[] used;
        final boolean[] movable;
        final int[] orderAt;
        final int failAt;
        final String brokenView;
        int allocateCalls;
        boolean threw;

        MiniBuddy(MiniBuddyOptions o) {
            if (o.pages() <= 0 || o.pages() % 16 != 0) {
                throw new IllegalArgumentException("pages must be a positive multiple of 16: " + o.pages());
            }
            used = new boolean[o.pages()];
            movable = new boolean[o.pages()];
            orderAt = new int[o.pages()];
            java.util.Arrays.fill(orderAt, -1);
            failAt = o.failAt();
            brokenView = o.brokenView();
        }

        @Override
        public long allocate(int order, int gfp, int cpu) {
            if (++allocateCalls == failAt) {
                threw = true;
                throw new IllegalStateException("free list corrupt at call " + allocateCalls);
            }
            int n = 1 << order;
            for (int start = 0; start + n <= used.length; start += n) {
                if (isFree(start, n)) {
                    for (int i = start; i < start + n; i++) {
                        used[i] = true;
                        movable[i] = (gfp & Gfp.MOVABLE) != 0;
                    }
                    orderAt[start] = order;
                    return start;
                }
            }
            return NO_PAGE;
        }

        private boolean isFree(int start, int n) {
            for (int i = start; i < start + n; i++) {
                if (used[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void free(long pfn, int order, int cpu) {
            int p = (int) pfn;
            if (orderAt[p] != order) {
                throw new IllegalArgumentException("free of a block not allocated: pfn " + pfn + " order " + order);
            }
            orderAt[p] = -1;
            for (int i = p; i < p + (1 << order); i++) {
                used[i] = false;
            }
        }

        @Override
        public int maxOrder() {
            return MAX_ORDER;
        }

        @Override
        public int pageblockOrder() {
            return PAGEBLOCK_ORDER;
        }

        @Override
        public List<? extends Zone> zones() {
            return List.of(this);
        }

        @Override
        public void drainPerCpuLists() {
        }

        @Override
        public void checkInvariants() {
        }

        @Override
        public void forEachCounter(CounterVisitor visitor) {
            visitor.counter("nr_free_pages", freePages());
            visitor.counter("pgalloc_normal", allocateCalls);
        }

        private void checkView() {
            if (brokenView.equals("always") || (brokenView.equals("after-failure") && threw)) {
                throw new IllegalStateException("zone view unavailable");
            }
        }

        @Override
        public int node() {
            return 0;
        }

        @Override
        public ZoneType type() {
            return ZoneType.NORMAL;
        }

        @Override
        public long startPfn() {
            return 0;
        }

        @Override
        public long spannedPages() {
            return used.length;
        }

        @Override
        public long presentPages() {
            return used.length;
        }

        @Override
        public long managedPages() {
            return used.length;
        }

        @Override
        public long freePages() {
            long free = 0;
            for (boolean u : used) {
                free += u ? 0 : 1;
            }
            return free;
        }

        @Override
        public long freeBlocks(int order) {
            checkView();
            long count = 0;
            int i = 0;
            while (i < used.length) {
                if (used[i]) {
                    i++;
                    continue;
                }
                int o = MAX_ORDER;
                while (i % (1 << o) != 0 || i + (1 << o) > used.length || !isFree(i, 1 << o)) {
                    o--;
                }
                count += o == order ? 1 : 0;
                i += 1 << o;
            }
            return count;
        }

        @Override
        public long freeBlocks(int order, MigrateType mt) {
            checkView();
            return mt == MigrateType.MOVABLE ? freeBlocks(order) : 0;
        }

        @Override
        public long watermark(WatermarkLevel level) {
            return 4L * (level.ordinal() + 1);
        }

        @Override
        public long watermarkBoost() {
            return 0;
        }

        @Override
        public long lowmemReserve(int upperZoneIndex) {
            return 0;
        }

        @Override
        public MigrateType pageblockType(long pfn) {
            return MigrateType.MOVABLE;
        }

        @Override
        public long pageblocks(MigrateType mt) {
            return mt == MigrateType.MOVABLE ? used.length >> PAGEBLOCK_ORDER : 0;
        }

        @Override
        public int pcpCount(int cpu) {
            return 0;
        }

        @Override
        public int pcpHigh(int cpu) {
            return 0;
        }

        @Override
        public int pcpBatch() {
            return 1;
        }

        @Override
        public PageblockOccupancy pageblockOccupancy() {
            long blocks = used.length >> PAGEBLOCK_ORDER;
            long withUnmovable = 0;
            long mixed = 0;
            for (int b = 0; b < blocks; b++) {
                boolean unmov = false;
                boolean mov = false;
                for (int p = b << PAGEBLOCK_ORDER; p < (b + 1) << PAGEBLOCK_ORDER; p++) {
                    unmov |= used[p] && !movable[p];
                    mov |= used[p] && movable[p];
                }
                withUnmovable += unmov ? 1 : 0;
                mixed += unmov && mov ? 1 : 0;
            }
            return new PageblockOccupancy(blocks, withUnmovable, mixed, withUnmovable);
        }
    }

    static final class MiniBuddyProvider implements PageAllocatorProvider<MiniBuddyOptions> {
        @Override
        public String id() {
            return "mini-buddy";
        }

        @Override
        public String description() {
            return "a first-fit allocator with a zone view";
        }

        @Override
        public Class<MiniBuddyOptions> optionsType() {
            return MiniBuddyOptions.class;
        }

        @Override
        public PageAllocator create(MiniBuddyOptions options, ProviderContext context) {
            return new MiniBuddy(options);
        }
    }

    record MiniSlabOptions() {
    }

    /** kmalloc-64 and kmalloc-128 over whole pages; objects are never placed, only counted. */
    static final class MiniSlab implements ObjectCache {
        final long[] active = new long[2];
        long nextAddress = 0xffff_0000_0000_1000L;

        @Override
        public int createCache(CacheSpec spec) {
            throw new UnsupportedOperationException("mini-slab has only kmalloc caches");
        }

        @Override
        public void destroyCache(int cacheId) {
            throw new UnsupportedOperationException("mini-slab has only kmalloc caches");
        }

        @Override
        public long alloc(int cacheId, int gfp, int cpu) {
            throw new UnsupportedOperationException("mini-slab has only kmalloc caches");
        }

        @Override
        public void free(int cacheId, long address, int cpu) {
            throw new UnsupportedOperationException("mini-slab has only kmalloc caches");
        }

        @Override
        public long kmalloc(long size, int gfp, int cpu) {
            active[size <= 64 ? 0 : 1]++;
            long a = nextAddress;
            nextAddress += size <= 64 ? 64 : 128;
            return a;
        }

        @Override
        public void kfree(long address, int cpu) {
            if (address != NO_OBJECT) {
                active[active[0] > 0 ? 0 : 1]--;
            }
        }

        @Override
        public long ksize(long address) {
            return 64;
        }

        @Override
        public List<CacheInfo> slabinfo() {
            return List.of(row("kmalloc-128", active[1], 128), row("kmalloc-64", active[0], 64));
        }

        private static CacheInfo row(String name, long objs, int size) {
            int perSlab = 4096 / size;
            long slabs = (objs + perSlab - 1) / perSlab;
            return new CacheInfo(name, objs, slabs * perSlab, size, perSlab, 1, 0, 0, 0, slabs, slabs, 0);
        }

        @Override
        public void checkInvariants() {
        }
    }

    static final class MiniSlabProvider implements ObjectCacheProvider<MiniSlabOptions> {
        @Override
        public String id() {
            return "mini-slab";
        }

        @Override
        public String description() {
            return "two kmalloc caches that count objects";
        }

        @Override
        public Class<MiniSlabOptions> optionsType() {
            return MiniSlabOptions.class;
        }

        @Override
        public ObjectCache create(MiniSlabOptions options, ProviderContext context) {
            return new MiniSlab();
        }
    }

    /**
     * @param events      events to produce
     * @param kmallocEvery every this many events a kmalloc, the next one its kfree; 0 never
     */
    record RandomOptions(long events, int kmallocEvery) {
        public RandomOptions() {
            this(1000, 10);
        }
    }

    /** Seeded page allocations (orders 0–2, alternately unmovable and movable) and frees, one µs apart. */
    static final class RandomWorkload implements Workload {
        final RandomOptions options;
        final SplittableRandom rng;
        final long[] live = new long[1 << 12];
        int liveCount;
        long produced;
        long nextHandle = 1;

        RandomWorkload(RandomOptions options, long seed) {
            this.options = options;
            this.rng = new SplittableRandom(seed);
        }

        @Override
        public boolean next(Event into) {
            if (produced >= options.events()) {
                return false;
            }
            long i = produced++;
            int k = options.kmallocEvery();
            if (k > 0 && i % k == 0) {
                into.kmalloc(i, i % (2L * k) == 0 ? 48 : 100, Gfp.GFP_KERNEL, 0);
            } else if (k > 0 && i % k == 1) {
                into.kfree(i - 1, 0);
            } else if (liveCount > 0 && (liveCount == live.length || rng.nextInt(3) == 0)) {
                int j = rng.nextInt(liveCount);
                long h = live[j];
                live[j] = live[--liveCount];
                into.pageFree(h >> 8, (int) (h & 0xff), 1);
            } else {
                long h = nextHandle++;
                int order = rng.nextInt(3);
                live[liveCount++] = h << 8 | order;
                into.pageAlloc(h, order, Gfp.GFP_KERNEL | (h % 2 == 0 ? Gfp.MOVABLE : 0), 0);
            }
            into.at(i * 1000);
            return true;
        }

        @Override
        public long expectedEvents() {
            return options.events();
        }

        @Override
        public void allocationFailed(long handle) {
            if (liveCount > 0 && live[liveCount - 1] >> 8 == handle) {
                liveCount--;
            }
        }
    }

    static final class RandomWorkloadProvider implements WorkloadProvider<RandomOptions> {
        @Override
        public String id() {
            return "random";
        }

        @Override
        public String description() {
            return "seeded page allocations and frees";
        }

        @Override
        public Class<RandomOptions> optionsType() {
            return RandomOptions.class;
        }

        @Override
        public Workload create(RandomOptions options, ProviderContext context) {
            return new RandomWorkload(options, context.seed());
        }
    }
}
