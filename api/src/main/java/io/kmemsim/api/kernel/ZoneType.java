package io.kmemsim.api.kernel;

import org.apiguardian.api.API;

/**
 * The kernel's zone types, in enumeration order, with the names {@code zone_names[]} prints
 * (include/linux/mmzone.h: enum zone_type (6.1); arch/x86/mm/init.c: zone_sizes_init() (6.1)). HighMem (32-bit only) is not modelled.
 *
 * <p>Whether DMA, DMA32 and Device exist is a configuration fact (see {@link KernelConfig}); the
 * index a zone has in a given kernel is its position among the configured zones, not {@link #ordinal()}.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum ZoneType {
    DMA("DMA"),
    DMA32("DMA32"),
    NORMAL("Normal"),
    MOVABLE("Movable"),
    /** ZONE_DEVICE: printed in zoneinfo where configured, never populated by the buddy allocator. */
    DEVICE("Device");

    private final String printedName;

    ZoneType(String printedName) {
        this.printedName = printedName;
    }

    /** The name the kernel prints, e.g. {@code "Normal"}. */
    public String printedName() {
        return printedName;
    }

    /** The zone type whose printed name is {@code name} (case-sensitive, as the kernel prints it). */
    public static ZoneType ofPrintedName(String name) {
        for (ZoneType z : values()) {
            if (z.printedName.equals(name)) {
                return z;
            }
        }
        throw new IllegalArgumentException("unknown zone name (expected DMA, DMA32, Normal, Movable or Device): " + name);
    }
}
