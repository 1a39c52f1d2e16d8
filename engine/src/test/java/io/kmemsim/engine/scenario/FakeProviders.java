package io.kmemsim.engine.scenario;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.PageSize;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.NoOptions;
import io.kmemsim.api.plugin.PageAllocatorProvider;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.Required;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.workload.Workload;
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

    /** Providers that scenario tests only bind, never create: an id, a description and an options type. */
    abstract static class Stub<T, O extends Record> implements io.kmemsim.api.plugin.Provider<T, O> {
        private final String id;
        private final Class<O> optionsType;

        Stub(String id, Class<O> optionsType) {
            this.id = id;
            this.optionsType = optionsType;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return "fake " + id;
        }

        @Override
        public Class<O> optionsType() {
            return optionsType;
        }

        @Override
        public T create(O options, ProviderContext context) {
            throw new UnsupportedOperationException("scenario tests never create components");
        }
    }

    static final class Platforms extends Stub<Platform, NoOptions> implements PlatformProvider<NoOptions> {
        Platforms(String id) {
            super(id, NoOptions.class);
        }
    }

    static final class Board extends Stub<Platform, BoardOptions> implements PlatformProvider<BoardOptions> {
        Board() {
            super("board", BoardOptions.class);
        }
    }

    static final class Buddy extends Stub<PageAllocator, BuddyOptions> implements PageAllocatorProvider<BuddyOptions> {
        Buddy() {
            super("buddy", BuddyOptions.class);
        }
    }

    static final class Mix extends Stub<Workload, MixOptions> implements WorkloadProvider<MixOptions> {
        Mix() {
            super("mix", MixOptions.class);
        }
    }

    static final class Linux extends Stub<FallbackPolicy, NoOptions> implements FallbackPolicyProvider<NoOptions> {
        Linux() {
            super("linux", NoOptions.class);
        }
    }

    static final class StubCache extends Stub<io.kmemsim.api.slab.ObjectCache, NoOptions>
            implements io.kmemsim.api.plugin.ObjectCacheProvider<NoOptions> {
        StubCache(String id) {
            super(id, NoOptions.class);
        }
    }

    static final class StubCompaction extends Stub<io.kmemsim.api.policy.CompactionPolicy, NoOptions>
            implements io.kmemsim.api.plugin.CompactionPolicyProvider<NoOptions> {
        StubCompaction(String id) {
            super(id, NoOptions.class);
        }
    }

    static final class StubArch extends Stub<io.kmemsim.api.arch.ArchHooks, NoOptions>
            implements io.kmemsim.api.plugin.ArchHooksProvider<NoOptions> {
        StubArch(String id) {
            super(id, NoOptions.class);
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
