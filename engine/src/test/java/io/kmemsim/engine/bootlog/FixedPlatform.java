package io.kmemsim.engine.bootlog;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.ZoneType;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** A hand-built platform for boot-log tests: banks given as [first byte, last byte], zone limits in bytes. */
final class FixedPlatform implements Platform {

    private final KernelConfig config;
    private final List<MemoryBank> banks = new ArrayList<>();
    private final List<ReservedRange> reserved = new ArrayList<>();
    private long dmaLimit;
    private long dma32Limit;
    private long normalLimit;
    private int cpus = 1;

    FixedPlatform(KernelConfig config) {
        this.config = config;
    }

    /** A bank from its first to its last byte, as the kernel prints it. */
    FixedPlatform bank(long first, long last) {
        banks.add(new MemoryBank(0, first, last - first + 1));
        normalLimit = (last + 1) >>> config.pageSize().shift();
        return this;
    }

    FixedPlatform reserve(String name, long base, long size, boolean nomap) {
        reserved.add(new ReservedRange(name, base, size, nomap));
        return this;
    }

    /** DMA and DMA32 limits in bytes (exclusive). */
    FixedPlatform limits(long dma, long dma32) {
        this.dmaLimit = dma >>> config.pageSize().shift();
        this.dma32Limit = dma32 >>> config.pageSize().shift();
        return this;
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public int cpus() {
        return cpus;
    }

    FixedPlatform cpus(int n) {
        this.cpus = n;
        return this;
    }

    @Override
    public KernelConfig kernelConfig() {
        return config;
    }

    @Override
    public List<MemoryBank> banks() {
        return List.copyOf(banks);
    }

    @Override
    public List<ReservedRange> reserved() {
        return List.copyOf(reserved);
    }

    @Override
    public OptionalLong zoneLimitPfn(ZoneType zone) {
        return switch (zone) {
            case DMA -> OptionalLong.of(dmaLimit);
            case DMA32 -> OptionalLong.of(dma32Limit);
            case NORMAL -> OptionalLong.of(normalLimit);
            default -> OptionalLong.empty();
        };
    }

    @Override
    public long cmaBytes() {
        return reserved.stream().filter(r -> r.name().contains("cma")).mapToLong(ReservedRange::size).sum();
    }
}
