package io.kmemsim.engine.run;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A {@link ProviderContext} assembled from parts given up front, for creating a few providers outside a
 * scenario run (a platform shown on its own, a boot replay, a benchmark's machine): the one home of that
 * boilerplate. A part not given is "not available": asking for it throws {@link IllegalStateException}
 * naming the part (a provider that asks for what comes after it, e.g. a platform asking for the page
 * allocator), except the policies, which default to none, and the trace listener, which defaults to
 * {@link TraceListener#NONE}. The kernel configuration and CPU count come from the platform unless set.
 */
public final class FixedContext implements ProviderContext {

    private final KernelVersion kernel;
    private final long seed;
    private final Platform platform;
    private final KernelConfig kernelConfig;
    private final int cpus;
    private final Optional<FallbackPolicy> fallback;
    private final CompactionPolicy compaction;
    private final ArchHooks archHooks;
    private final Supplier<PageAllocator> pageAllocator;
    private final TraceListener traceListener;

    private FixedContext(Builder b) {
        this.kernel = b.kernel;
        this.seed = b.seed;
        this.platform = b.platform;
        this.kernelConfig = b.kernelConfig;
        this.cpus = b.cpus;
        this.fallback = Optional.ofNullable(b.fallback);
        this.compaction = b.compaction;
        this.archHooks = b.archHooks;
        this.pageAllocator = b.pageAllocator;
        this.traceListener = b.traceListener;
    }

    /** Starts a context for {@code kernel} (seed 1, no policies, nothing else available yet). */
    public static Builder builder(KernelVersion kernel) {
        return new Builder(kernel);
    }

    @Override
    public KernelVersion kernel() {
        return kernel;
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public KernelConfig kernelConfig() {
        if (kernelConfig != null) {
            return kernelConfig;
        }
        return platform().kernelConfig();
    }

    @Override
    public int cpus() {
        return cpus > 0 ? cpus : platform().cpus();
    }

    @Override
    public Platform platform() {
        if (platform == null) {
            throw notAvailable("the platform");
        }
        return platform;
    }

    @Override
    public Optional<FallbackPolicy> fallbackPolicy() {
        return fallback;
    }

    @Override
    public CompactionPolicy compactionPolicy() {
        return compaction;
    }

    @Override
    public ArchHooks archHooks() {
        if (archHooks == null) {
            throw notAvailable("the arch hooks");
        }
        return archHooks;
    }

    @Override
    public PageAllocator pageAllocator() {
        PageAllocator a = pageAllocator == null ? null : pageAllocator.get();
        if (a == null) {
            throw notAvailable("the page allocator");
        }
        return a;
    }

    @Override
    public TraceListener traceListener() {
        return traceListener;
    }

    private static IllegalStateException notAvailable(String what) {
        return new IllegalStateException("not available to this component: " + what);
    }

    /** Collects the parts of a {@link FixedContext}. */
    public static final class Builder {
        private final KernelVersion kernel;
        private long seed = 1;
        private Platform platform;
        private KernelConfig kernelConfig;
        private int cpus;
        private FallbackPolicy fallback;
        private CompactionPolicy compaction = CompactionPolicy.NONE;
        private ArchHooks archHooks;
        private Supplier<PageAllocator> pageAllocator;
        private TraceListener traceListener = TraceListener.NONE;

        private Builder(KernelVersion kernel) {
            this.kernel = Objects.requireNonNull(kernel, "kernel");
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** The platform; also the kernel configuration and CPU count unless those are set. */
        public Builder platform(Platform value) {
            this.platform = value;
            return this;
        }

        public Builder kernelConfig(KernelConfig value) {
            this.kernelConfig = value;
            return this;
        }

        public Builder cpus(int value) {
            this.cpus = value;
            return this;
        }

        public Builder fallback(FallbackPolicy value) {
            this.fallback = value;
            return this;
        }

        public Builder compaction(CompactionPolicy value) {
            this.compaction = Objects.requireNonNull(value, "compaction");
            return this;
        }

        public Builder archHooks(ArchHooks value) {
            this.archHooks = value;
            return this;
        }

        /** The page allocator, read when a provider asks (null from {@code value} means not created yet). */
        public Builder pageAllocator(Supplier<PageAllocator> value) {
            this.pageAllocator = value;
            return this;
        }

        public Builder traceListener(TraceListener value) {
            this.traceListener = Objects.requireNonNull(value, "traceListener");
            return this;
        }

        public FixedContext build() {
            return new FixedContext(this);
        }
    }
}
