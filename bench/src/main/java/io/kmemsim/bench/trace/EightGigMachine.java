package io.kmemsim.bench.trace;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.buddy.BuddyOptions;
import io.kmemsim.buddy.BuddyProvider;
import io.kmemsim.engine.run.FixedContext;
import java.util.List;
import java.util.OptionalLong;

/**
 * A synthetic 8 GiB arm64-like machine for benchmarks (one bank at 0, 2 Mi pages of 4K, ZONE_DMA below
 * 4 GiB, ZONE_NORMAL above, 32 MiB kernel image, 8 CPUs like an RK3588) and the {@link ProviderContext}
 * of a run on it without policies ({@link #context}). Once {@link #withAllocator} is given an allocator, later components
 * (workloads) can be created on it.
 */
public final class EightGigMachine implements Platform {

    /** Simulated CPUs. */
    public static final int CPUS = 8;

    private static final long GIB = 1L << 30;

    private final KernelVersion kernel;
    private PageAllocator allocator;

    /** A machine running {@code kernel} (e.g. "6.1"). */
    public EightGigMachine(String kernel) {
        this.kernel = KernelVersion.parse(kernel);
    }

    /** Creates a fresh {@code buddy} allocator (default options) on this machine and keeps it for later components. */
    public PageAllocator newBuddy() {
        allocator = null;
        allocator = new BuddyProvider().create(new BuddyOptions(), context());
        return allocator;
    }

    /** Uses {@code pageAllocator} as the run's page allocator. */
    public EightGigMachine withAllocator(PageAllocator pageAllocator) {
        this.allocator = pageAllocator;
        return this;
    }

    @Override
    public String name() {
        return "bench-8g";
    }

    @Override
    public int cpus() {
        return CPUS;
    }

    @Override
    public KernelConfig kernelConfig() {
        return KernelConfig.ARM64_DISTRO;
    }

    @Override
    public List<MemoryBank> banks() {
        return List.of(new MemoryBank(0, 0, 8 * GIB));
    }

    @Override
    public List<ReservedRange> reserved() {
        return List.of(new ReservedRange("kernel", 2L << 20, 32L << 20, false));
    }

    @Override
    public OptionalLong zoneLimitPfn(ZoneType zone) {
        return switch (zone) {
            case DMA, DMA32 -> OptionalLong.of((4 * GIB) >> 12);
            case NORMAL -> OptionalLong.of((8 * GIB) >> 12);
            default -> OptionalLong.empty();
        };
    }

    /** The {@link ProviderContext} of a run on this machine without policies; its page allocator is the one given last. */
    public ProviderContext context() {
        return FixedContext.builder(kernel).platform(this).archHooks(ArchHooks.NONE).pageAllocator(() -> allocator).build();
    }

    /** The page allocator given last ({@link #newBuddy} or {@link #withAllocator}). */
    public PageAllocator pageAllocator() {
        if (allocator == null) {
            throw new IllegalStateException("the page allocator is not created yet (call newBuddy or withAllocator)");
        }
        return allocator;
    }
}
