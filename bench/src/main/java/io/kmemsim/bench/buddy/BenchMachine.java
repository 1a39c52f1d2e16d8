package io.kmemsim.bench.buddy;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.buddy.BuddyOptions;
import io.kmemsim.buddy.BuddyProvider;
import io.kmemsim.engine.run.FixedContext;
import java.util.List;
import java.util.OptionalLong;

/** A 4 GiB arm64-like machine (DMA below 4 GiB is the whole RAM); its allocators are created in a {@link FixedContext} without policies. */
final class BenchMachine implements Platform {

    private BenchMachine() {
    }

    /** Creates the {@code buddy} allocator for {@code kernel} on the 4 GiB machine, 4 CPUs. */
    static PageAllocator allocator(String kernel) {
        return new BuddyProvider().create(new BuddyOptions(), FixedContext.builder(KernelVersion.parse(kernel))
                .platform(new BenchMachine()).archHooks(ArchHooks.NONE).build());
    }

    @Override
    public String name() {
        return "bench-4g";
    }

    @Override
    public int cpus() {
        return 4;
    }

    @Override
    public KernelConfig kernelConfig() {
        return KernelConfig.ARM64_DISTRO;
    }

    @Override
    public List<MemoryBank> banks() {
        return List.of(new MemoryBank(0, 1L << 30, 4L << 30));
    }

    @Override
    public List<ReservedRange> reserved() {
        return List.of(new ReservedRange("kernel", 1L << 30, 32L << 20, false));
    }

    @Override
    public OptionalLong zoneLimitPfn(ZoneType zone) {
        return switch (zone) {
            case DMA -> OptionalLong.of((4L << 30) >> 12);
            case DMA32 -> OptionalLong.of((4L << 30) >> 12);
            case NORMAL -> OptionalLong.of((5L << 30) >> 12);
            default -> OptionalLong.empty();
        };
    }
}
