package io.kmemsim.slab;

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

/** A provider context for tests: kernel, configuration, seed, CPUs and a page allocator only. */
record FixtureContext(KernelVersion kernel, KernelConfig kernelConfig, long seed, int cpus, PageAllocator pageAllocator)
        implements ProviderContext {

    static FixtureContext of(String kernel, int cpus, PageAllocator pages) {
        return new FixtureContext(KernelVersion.parse(kernel), KernelConfig.ARM64_DISTRO, 42L, cpus, pages);
    }

    @Override
    public Platform platform() {
        throw new IllegalStateException("no platform in this test");
    }

    @Override
    public Optional<FallbackPolicy> fallbackPolicy() {
        return Optional.empty();
    }

    @Override
    public CompactionPolicy compactionPolicy() {
        throw new IllegalStateException("no compaction policy in this test");
    }

    @Override
    public ArchHooks archHooks() {
        throw new IllegalStateException("no arch hooks in this test");
    }

    @Override
    public TraceListener traceListener() {
        throw new IllegalStateException("no trace listener in this test");
    }
}
