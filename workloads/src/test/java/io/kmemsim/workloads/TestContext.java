package io.kmemsim.workloads;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.Optional;

/** A provider context for workload tests (values over the testkit's {@link TestProviderContext} and {@link TestPlatforms}): one RAM bank at 1 GiB (default 1 GiB long), 4 CPUs, kernel 6.1, arm64 distro config. */
record TestContext(KernelVersion kernel, KernelConfig kernelConfig, long seed, int cpus, long memoryBytes)
        implements ProviderContext {

    static TestContext seeded(long seed) {
        return new TestContext(KernelVersion.parse("6.1"), KernelConfig.ARM64_DISTRO, seed, 4, 1L << 30);
    }

    TestContext withKernel(String version) {
        return new TestContext(KernelVersion.parse(version), kernelConfig, seed, cpus, memoryBytes);
    }

    TestContext withConfig(KernelConfig config) {
        return new TestContext(kernel, config, seed, cpus, memoryBytes);
    }

    TestContext withMemory(long bytes) {
        return new TestContext(kernel, kernelConfig, seed, cpus, bytes);
    }

    long memoryPages() {
        return memoryBytes / kernelConfig.pageSize().bytes();
    }

    /** The testkit's context for these values: one RAM bank at 1 GiB of {@code memoryBytes}, no other component. */
    private TestProviderContext delegate() {
        Platform platform = TestPlatforms.builder("test-1bank", kernelConfig, cpus)
                .bank(new MemoryBank(0, 1L << 30, memoryBytes)).build();
        return TestProviderContext.builder().kernel(kernel).seed(seed).platform(platform).build();
    }

    @Override
    public Platform platform() {
        return delegate().platform();
    }

    @Override
    public Optional<FallbackPolicy> fallbackPolicy() {
        return delegate().fallbackPolicy();
    }

    @Override
    public CompactionPolicy compactionPolicy() {
        return delegate().compactionPolicy();
    }

    @Override
    public ArchHooks archHooks() {
        return delegate().archHooks();
    }

    @Override
    public PageAllocator pageAllocator() {
        throw new IllegalStateException("workload tests have no page allocator");
    }

    @Override
    public TraceListener traceListener() {
        return delegate().traceListener();
    }
}
