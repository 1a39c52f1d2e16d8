package io.kmemsim.workloads;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** A provider context for workload tests: one RAM bank at 1 GiB (default 1 GiB long), 4 CPUs, kernel 6.1, arm64 distro config. */
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

    @Override
    public Platform platform() {
        KernelConfig config = kernelConfig;
        int n = cpus;
        List<MemoryBank> banks = List.of(new MemoryBank(0, 1L << 30, memoryBytes));
        return new Platform() {
            @Override
            public String name() {
                return "test-1bank";
            }

            @Override
            public int cpus() {
                return n;
            }

            @Override
            public KernelConfig kernelConfig() {
                return config;
            }

            @Override
            public List<MemoryBank> banks() {
                return banks;
            }

            @Override
            public List<ReservedRange> reserved() {
                return List.of();
            }

            @Override
            public OptionalLong zoneLimitPfn(ZoneType zone) {
                return OptionalLong.empty();
            }
        };
    }

    @Override
    public Optional<FallbackPolicy> fallbackPolicy() {
        throw new IllegalStateException("workload tests have no fallback policy");
    }

    @Override
    public CompactionPolicy compactionPolicy() {
        throw new IllegalStateException("workload tests have no compaction policy");
    }

    @Override
    public ArchHooks archHooks() {
        throw new IllegalStateException("workload tests have no arch hooks");
    }

    @Override
    public PageAllocator pageAllocator() {
        throw new IllegalStateException("workload tests have no page allocator");
    }

    @Override
    public TraceListener traceListener() {
        throw new IllegalStateException("workload tests have no trace listener");
    }
}
