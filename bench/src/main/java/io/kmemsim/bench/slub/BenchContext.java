package io.kmemsim.bench.slub;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import java.util.Optional;

/** The minimal context the slub provider needs: kernel, configuration, seed, CPUs, page allocator. */
record BenchContext(KernelVersion kernel, int cpus, PageAllocator pageAllocator) implements ProviderContext {

    @Override
    public KernelConfig kernelConfig() {
        return KernelConfig.ARM64_DISTRO;
    }

    @Override
    public long seed() {
        return 1L;
    }

    @Override
    public Platform platform() {
        throw new IllegalStateException("no platform in the benchmark");
    }

    @Override
    public Optional<FallbackPolicy> fallbackPolicy() {
        return Optional.empty();
    }

    @Override
    public CompactionPolicy compactionPolicy() {
        throw new IllegalStateException("no compaction policy in the benchmark");
    }

    @Override
    public ArchHooks archHooks() {
        throw new IllegalStateException("no arch hooks in the benchmark");
    }

    @Override
    public TraceListener traceListener() {
        throw new IllegalStateException("no trace listener in the benchmark");
    }
}
