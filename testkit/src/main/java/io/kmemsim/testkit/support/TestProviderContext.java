package io.kmemsim.testkit.support;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.trace.TraceListener;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * A {@link ProviderContext} for tests, built with what the test wants the provider to see. Like the
 * host's context, an accessor whose component was not given throws {@link IllegalStateException}
 * naming the component (a platform provider sees only the kernel and the seed).
 *
 * <p>The page allocator defaults to a {@link ReferencePageAllocator} over the platform, created on
 * first use, so object caches and workloads can be tested without a page-allocator plugin.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TestProviderContext implements ProviderContext {

    private final KernelVersion kernel;
    private final long seed;
    private final Platform platform;
    private final KernelConfig config;
    private final FallbackPolicy fallbackPolicy;
    private final CompactionPolicy compactionPolicy;
    private final ReclaimPolicy reclaimPolicy;
    private final ArchHooks archHooks;
    private final Function<ProviderContext, PageAllocator> pageAllocatorFactory;
    private final TraceListener traceListener;
    private final int cpus;
    private PageAllocator pageAllocator;

    private TestProviderContext(Builder b) {
        this.kernel = b.kernel;
        this.seed = b.seed;
        this.platform = b.platform;
        this.config = b.config != null ? b.config : b.platform == null ? null : b.platform.kernelConfig();
        this.fallbackPolicy = b.fallbackPolicy;
        this.compactionPolicy = b.compactionPolicy;
        this.reclaimPolicy = b.reclaimPolicy;
        this.archHooks = b.archHooks;
        this.pageAllocatorFactory = b.pageAllocatorFactory;
        this.traceListener = b.traceListener;
        this.cpus = b.cpus;
    }

    /**
     * What an object cache provider sees in its tests: {@code kernel}, the arm64 distribution configuration,
     * {@code cpus} CPUs, seed 42 and {@code pages} as the page allocator; no platform.
     */
    public static TestProviderContext forObjectCache(String kernel, int cpus, PageAllocator pages) {
        Objects.requireNonNull(pages, "pages");
        return builder().kernel(kernel).kernelConfig(KernelConfig.ARM64_DISTRO).cpus(cpus).pageAllocator(c -> pages).build();
    }

    /** A context for kernel 6.1, seed 42, with no platform (what a platform provider sees). */
    public static Builder builder() {
        return new Builder();
    }

    /** A context for kernel 6.1, seed 42 on {@code platform}, with every other component at its default. */
    public static TestProviderContext on(Platform platform) {
        return builder().platform(platform).build();
    }

    @Override
    public KernelVersion kernel() {
        return kernel;
    }

    @Override
    public KernelConfig kernelConfig() {
        return require(config, "kernel configuration (no platform given)");
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public int cpus() {
        return cpus > 0 ? cpus : require(platform, "platform").cpus();
    }

    @Override
    public Platform platform() {
        return require(platform, "platform");
    }

    @Override
    public Optional<FallbackPolicy> fallbackPolicy() {
        return Optional.ofNullable(fallbackPolicy);
    }

    @Override
    public CompactionPolicy compactionPolicy() {
        return compactionPolicy;
    }

    @Override
    public ReclaimPolicy reclaimPolicy() {
        return reclaimPolicy;
    }

    @Override
    public ArchHooks archHooks() {
        return archHooks;
    }

    @Override
    public PageAllocator pageAllocator() {
        if (pageAllocator == null) {
            pageAllocator = Objects.requireNonNull(pageAllocatorFactory.apply(this), "page allocator factory returned null");
        }
        return pageAllocator;
    }

    @Override
    public TraceListener traceListener() {
        return traceListener;
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalStateException(what + " is not available in this context");
        }
        return value;
    }

    /** Builds a {@link TestProviderContext}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public static final class Builder {
        private KernelVersion kernel = KernelVersion.parse("6.1");
        private long seed = 42;
        private Platform platform;
        private KernelConfig config;
        private FallbackPolicy fallbackPolicy;
        private CompactionPolicy compactionPolicy = CompactionPolicy.NONE;
        private ReclaimPolicy reclaimPolicy = ReclaimPolicy.NONE;
        private ArchHooks archHooks = ArchHooks.NONE;
        private Function<ProviderContext, PageAllocator> pageAllocatorFactory = ReferencePageAllocator::new;
        private TraceListener traceListener = TraceListener.NONE;
        private int cpus;

        private Builder() {
        }

        public Builder kernel(KernelVersion kernel) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
            return this;
        }

        public Builder kernel(String kernel) {
            return kernel(KernelVersion.parse(kernel));
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder platform(Platform platform) {
            this.platform = Objects.requireNonNull(platform, "platform");
            return this;
        }

        /** Overrides the platform's kernel configuration. */
        public Builder kernelConfig(KernelConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        public Builder fallbackPolicy(FallbackPolicy policy) {
            this.fallbackPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder compactionPolicy(CompactionPolicy policy) {
            this.compactionPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder reclaimPolicy(ReclaimPolicy policy) {
            this.reclaimPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        public Builder archHooks(ArchHooks hooks) {
            this.archHooks = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        /** The page allocator (instead of a {@link ReferencePageAllocator}), created on first use. */
        public Builder pageAllocator(Function<ProviderContext, PageAllocator> factory) {
            this.pageAllocatorFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        public Builder traceListener(TraceListener listener) {
            this.traceListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The CPU count when there is no platform (or to override the platform's). */
        public Builder cpus(int cpus) {
            if (cpus < 1) {
                throw new IllegalArgumentException("cpus must be >= 1: " + cpus);
            }
            this.cpus = cpus;
            return this;
        }

        public TestProviderContext build() {
            return new TestProviderContext(this);
        }
    }
}
