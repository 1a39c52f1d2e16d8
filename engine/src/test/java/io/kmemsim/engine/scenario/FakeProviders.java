package io.kmemsim.engine.scenario;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.PageAllocatorProvider;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.Required;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.ProviderEntry;
import java.util.List;
import java.util.Map;

/** Providers that only declare ids and options types: enough to load scenarios, never created. */
final class FakeProviders {

    private FakeProviders() {
    }

    enum Mode { STEADY, BURST_THEN_IDLE }

    record Range(int low, int high) {
        Range {
            if (low > high) {
                throw new IllegalArgumentException("low must be <= high: " + low + " > " + high);
            }
        }
    }

    /** Workload options: events required, the rest defaulted. */
    record MixOptions(@Required long events, double freeRatio, Mode mode, List<Integer> orders, Range cpuRange,
                      PageSize pageSize, boolean verbose) {
        public MixOptions() {
            this(0, 0.5, Mode.STEADY, List.of(0, 1, 2), new Range(0, 3), PageSize.SIZE_4K, false);
        }
    }

    record BuddyOptions(int minFreeKbytes, int watermarkScaleFactor, Map<String, Integer> lowmemReserve) {
        public BuddyOptions() {
            this(1024, 10, Map.of());
        }
    }

    /** No public no-argument constructor: every key must be given. */
    record BoardOptions(long memoryMb, int cpus) {
        BoardOptions {
            if (memoryMb <= 0) {
                throw new IllegalArgumentException("memory-mb must be > 0: " + memoryMb);
            }
        }
    }

    static final class Platforms implements PlatformProvider<NoOptions> {
        private final String id;

        Platforms(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return "fake platform";
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public Platform create(NoOptions options, ProviderContext context) {
            throw new UnsupportedOperationException("scenario tests never create components");
        }
    }

    static final class Board implements PlatformProvider<BoardOptions> {
        @Override
        public String id() {
            return "board";
        }

        @Override
        public String description() {
            return "fake board with explicit memory";
        }

        @Override
        public Class<BoardOptions> optionsType() {
            return BoardOptions.class;
        }

        @Override
        public Platform create(BoardOptions options, ProviderContext context) {
            throw new UnsupportedOperationException("scenario tests never create components");
        }
    }

    static final class Buddy implements PageAllocatorProvider<BuddyOptions> {
        @Override
        public String id() {
            return "buddy";
        }

        @Override
        public String description() {
            return "fake buddy";
        }

        @Override
        public Class<BuddyOptions> optionsType() {
            return BuddyOptions.class;
        }

        @Override
        public PageAllocator create(BuddyOptions options, ProviderContext context) {
            throw new UnsupportedOperationException("scenario tests never create components");
        }
    }

    static final class Mix implements WorkloadProvider<MixOptions> {
        @Override
        public String id() {
            return "mix";
        }

        @Override
        public String description() {
            return "fake mix";
        }

        @Override
        public Class<MixOptions> optionsType() {
            return MixOptions.class;
        }

        @Override
        public Workload create(MixOptions options, ProviderContext context) {
            throw new UnsupportedOperationException("scenario tests never create components");
        }
    }

    static final class Linux implements FallbackPolicyProvider<NoOptions> {
        @Override
        public String id() {
            return "linux";
        }

        @Override
        public String description() {
            return "fake fallback";
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public FallbackPolicy create(NoOptions options, ProviderContext context) {
            throw new UnsupportedOperationException("scenario tests never create components");
        }
    }

    /** Providers that scenario tests only bind, never create. */
    abstract static class Stub<T> implements io.kmemsim.api.plugin.Provider<T, NoOptions> {
        private final String id;

        Stub(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return "stub " + id;
        }

        @Override
        public Class<NoOptions> optionsType() {
            return NoOptions.class;
        }

        @Override
        public T create(NoOptions options, ProviderContext context) {
            throw new UnsupportedOperationException("scenario tests never create components");
        }
    }

    static final class StubCache extends Stub<io.kmemsim.api.slab.ObjectCache>
            implements io.kmemsim.api.plugin.ObjectCacheProvider<NoOptions> {
        StubCache(String id) {
            super(id);
        }
    }

    static final class StubCompaction extends Stub<io.kmemsim.api.policy.CompactionPolicy>
            implements io.kmemsim.api.plugin.CompactionPolicyProvider<NoOptions> {
        StubCompaction(String id) {
            super(id);
        }
    }

    static final class StubArch extends Stub<io.kmemsim.api.arch.ArchHooks>
            implements io.kmemsim.api.plugin.ArchHooksProvider<NoOptions> {
        StubArch(String id) {
            super(id);
        }
    }

    static ProviderEntry entry(PluginKind kind, io.kmemsim.api.plugin.Provider<?, ?> provider) {
        return new ProviderEntry(kind, provider, "", "1.0-test", "classpath");
    }

    /** rock5b-plus-8g, board (options without defaults), buddy, mix, linux (fallback and compaction), slub, arm64. */
    static ProviderLookup lookup() {
        return ProviderLookup.of(entries());
    }

    /** {@link #lookup()} without the providers of {@code kind}. */
    static ProviderLookup lookupWithout(PluginKind kind) {
        return ProviderLookup.of(entries().stream().filter(e -> e.kind() != kind).toList());
    }

    private static List<ProviderEntry> entries() {
        return List.of(
                entry(PluginKind.PLATFORM, new Platforms("rock5b-plus-8g")),
                entry(PluginKind.PLATFORM, new Board()),
                entry(PluginKind.PAGE_ALLOCATOR, new Buddy()),
                entry(PluginKind.WORKLOAD, new Mix()),
                entry(PluginKind.FALLBACK_POLICY, new Linux()),
                entry(PluginKind.COMPACTION_POLICY, new StubCompaction("linux")),
                entry(PluginKind.OBJECT_CACHE, new StubCache("slub")),
                entry(PluginKind.ARCH_HOOKS, new StubArch("arm64")));
    }
}
