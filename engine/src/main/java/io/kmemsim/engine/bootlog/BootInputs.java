package io.kmemsim.engine.bootlog;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link BootReservations} needs to know about a boot: the machine's RAM and the sizes and places the
 * kernel prints (or, for a preset, the defaults of its kernel). Byte addresses, ends exclusive; sizes of
 * the {@code Memory:} line in KiB as printed.
 *
 * @param arch            the architecture
 * @param ram             memblock memory regions in address order
 * @param pageBytes       the page size
 * @param cpus            possible CPUs
 * @param codeK           kernel code (KiB, {@code Memory:} line)
 * @param rwdataK         rwdata
 * @param rodataK         rodata
 * @param initK           init
 * @param bssK            bss
 * @param fixed           reservations at known places: CMA ({@code cma}), swiotlb, crashkernel, x86 initrd,
 *                        firmware ranges of a preset
 * @param percpuPagesPerCpu {@code percpu: Embedded N pages/cpu}
 * @param earlyHashBytes  early hash tables (bytes)
 * @param logBufBytes     a {@code log_buf_len=} buffer (0 for the static one)
 * @param freedK          {@code Freeing X memory: NK} by X
 * @param machineModel    {@code Machine model:} (arm64), or ""
 * @param kpti            CONFIG_UNMAP_KERNEL_AT_EL0 (arm64: one more page directory in the image)
 * @param rodataFull      CONFIG_RODATA_FULL_DEFAULT_ENABLED (arm64: page-granular linear map)
 * @param imageStart      the image's first byte when known ({@code /proc/iomem} Kernel code)
 * @param imageEnd        the image's end when known (x86: end of Kernel bss)
 * @param reservedTotal   the pages reserved when {@code mem_init} prints the {@code Memory:} line
 *                        ({@code reserved + cma-reserved} of the line, in pages), when known: the remainder of
 *                        the named parts is then taken from it instead of the per-architecture default
 */
public record BootInputs(Arch arch, List<long[]> ram, long pageBytes, int cpus, long codeK, long rwdataK, long rodataK,
                         long initK, long bssK, List<Reservation> fixed, int percpuPagesPerCpu, long earlyHashBytes,
                         long logBufBytes, Map<String, Long> freedK, String machineModel, boolean kpti, boolean rodataFull,
                         OptionalLong imageStart, OptionalLong imageEnd, OptionalLong reservedTotal) {

    /** The architectures whose boot reservations are modelled. */
    public enum Arch { ARM64, X86_64 }

    public BootInputs {
        Objects.requireNonNull(arch, "arch");
        ram = List.copyOf(ram);
        fixed = List.copyOf(fixed);
        freedK = Map.copyOf(freedK);
        Objects.requireNonNull(machineModel, "machineModel");
        if (ram.isEmpty()) {
            throw new IllegalArgumentException("no RAM");
        }
    }

    long freed(String what) {
        return freedK.getOrDefault(what, 0L) * 1024;
    }
}
