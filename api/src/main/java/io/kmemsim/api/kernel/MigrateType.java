package io.kmemsim.api.kernel;

import org.apiguardian.api.API;

/**
 * The kernel's migrate types, in the kernel's enumeration order (identical 5.10 … 6.19,
 * include/linux/mmzone.h: enum migratetype (6.1)).
 *
 * <p>{@link #ordinal()} is the kernel's value when the configuration has CMA; without CMA the kernel
 * numbers {@code Isolate} 4 (use {@link #kernelValue(boolean)}). Which types exist is a function of
 * the kernel configuration, not of the architecture: Debian's 6.1 amd64 kernel has no CMA, its arm64
 * kernel has.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum MigrateType {
    UNMOVABLE("Unmovable"),
    MOVABLE("Movable"),
    RECLAIMABLE("Reclaimable"),
    /** Also the kernel's {@code MIGRATE_PCPTYPES}: the number of types that have per-CPU lists. */
    HIGHATOMIC("HighAtomic"),
    CMA("CMA"),
    ISOLATE("Isolate");

    /** Number of types that have per-CPU lists and may fall back to each other (Unmovable, Movable, Reclaimable). */
    public static final int PCPTYPES = 3;

    private static final MigrateType[] VALUES = values();

    private final String printedName;

    MigrateType(String printedName) {
        this.printedName = printedName;
    }

    /** The name the kernel prints ({@code migratetype_names[]}), e.g. {@code "HighAtomic"}. */
    public String printedName() {
        return printedName;
    }

    /** True for MOVABLE and CMA ({@code is_migrate_movable}). */
    public boolean isMovableLike() {
        return this == MOVABLE || this == CMA;
    }

    /** True for the three types that have per-CPU lists and take part in fallback. */
    public boolean isPcpType() {
        return ordinal() < PCPTYPES;
    }

    /** The kernel's numeric value of this type for a configuration with or without CMA. */
    public int kernelValue(boolean cmaConfigured) {
        if (this == ISOLATE && !cmaConfigured) {
            return 4;
        }
        if (this == CMA && !cmaConfigured) {
            throw new IllegalArgumentException("MIGRATE_CMA does not exist without CONFIG_CMA");
        }
        return ordinal();
    }

    /** The type with {@link #ordinal()} {@code value}; {@code value} must be in [0, 5]. */
    public static MigrateType of(int value) {
        if (value < 0 || value >= VALUES.length) {
            throw new IllegalArgumentException("migrate type must be in [0, " + (VALUES.length - 1) + "]: " + value);
        }
        return VALUES[value];
    }

    /** The number of migrate types of a configuration: 6 with CMA, 5 without (MEMORY_ISOLATION assumed on). */
    public static int count(boolean cmaConfigured) {
        return cmaConfigured ? 6 : 5;
    }
}
