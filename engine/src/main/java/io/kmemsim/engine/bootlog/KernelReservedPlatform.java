package io.kmemsim.engine.bootlog;

import io.kmemsim.api.arch.MemoryBank;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.arch.ReservedRange;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.ZoneType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A preset {@link Platform} with the kernel's own boot reservations added ({@link BootReservations} with the
 * kernel's default image sizes, as the {@code Memory:} line of {@link BootLog} counts them): the image,
 * memmap, linear-map page tables, percpu, early hash tables, swiotlb, device tree and the measured
 * remainder, and the init section as released after init. A page allocator booted on it has the managed
 * pages of the kernel (within the estimates of {@link BootLog}'s {@code Memory:} line) instead of every
 * present page. Every run on a board preset ({@link #forRun}) boots on it.
 */
public final class KernelReservedPlatform implements Platform {

    private final Platform base;
    private final List<ReservedRange> reserved;
    private final List<ReservedRange> released;

    private KernelReservedPlatform(Platform base, List<ReservedRange> reserved, List<ReservedRange> released) {
        this.base = base;
        this.reserved = List.copyOf(reserved);
        this.released = List.copyOf(released);
    }

    /**
     * The platform a run boots: one that asks for the kernel's boot reservations
     * ({@link Platform#kernelBootReservationsModelled()}, e.g. the {@code rock5b-*} presets, whose boot the
     * {@code Memory:} line of {@link BootLog} is checked against real ROCK 5B logs) gets the reservations
     * {@code kernel} makes ({@link #of}); any other platform describes its own reserved memory and is
     * returned as it is.
     *
     * @throws IllegalArgumentException when the reservations do not fit the preset's RAM
     */
    public static Platform forRun(Platform platform, KernelVersion kernel) {
        return platform.kernelBootReservationsModelled() ? of(platform, kernel) : platform;
    }

    /**
     * {@code platform} with the reservations {@code kernel} makes at boot.
     *
     * @throws IllegalArgumentException when the platform has no RAM, or the reservations do not fit
     */
    public static Platform of(Platform platform, KernelVersion kernel) {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(kernel, "kernel");
        BootReservations r;
        try {
            r = BootReservations.of(BootLog.presetInputs(platform, kernel));
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("platform " + platform.name() + ": " + e.getMessage(), e);
        }
        List<ReservedRange> reserved = new ArrayList<>(platform.reserved());
        for (Reservation res : r.reserved()) {
            if (!res.rule().equals(BootLog.PLATFORM_RESERVATION)) {
                reserved.add(new ReservedRange(res.name(), res.base(), res.size(), false));
            }
        }
        reserved.sort(Comparator.comparingLong(ReservedRange::base));
        List<ReservedRange> released = new ArrayList<>(platform.releasedAfterInit());
        for (Reservation res : r.late()) {
            if (res.size() > 0) {
                released.add(new ReservedRange(res.name(), res.base(), res.size(), false));
            }
        }
        return new KernelReservedPlatform(platform, reserved, released);
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public int cpus() {
        return base.cpus();
    }

    @Override
    public KernelConfig kernelConfig() {
        return base.kernelConfig();
    }

    @Override
    public List<MemoryBank> banks() {
        return base.banks();
    }

    @Override
    public List<ReservedRange> reserved() {
        return reserved;
    }

    @Override
    public List<ReservedRange> releasedAfterInit() {
        return released;
    }

    @Override
    public OptionalLong zoneLimitPfn(ZoneType zone) {
        return base.zoneLimitPfn(zone);
    }

    @Override
    public boolean deferredStructPageInit() {
        return base.deferredStructPageInit();
    }

    @Override
    public long cmaBytes() {
        return base.cmaBytes();
    }

    @Override
    public String coreType(int cpu) {
        return base.coreType(cpu);
    }
}
