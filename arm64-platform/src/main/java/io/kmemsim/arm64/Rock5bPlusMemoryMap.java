package io.kmemsim.arm64;

import java.util.ArrayList;
import java.util.List;

/**
 * The DRAM banks Linux sees on a ROCK 5B+ per RAM size and firmware (docs/kernel-facts.md#rk3588-memory-maps,
 * docs/kernel-facts.md#rk3588-memory-maps), each with its evidence. All logs come from RK3588-family boards with the same memory controller
 * (ROCK 5A, ROCK 5B, Radxa E52C, Orange Pi 5 / 5 Plus, BDY G98); applying them to the 5B+ is itself an
 * inference of the reference (docs/kernel-facts.md#arm64-and-rk3588 last row).
 *
 * <pre>
 * bank 0     0x0020_0000 – 0xEFFF_FFFF          first 2 MiB = TF-A BL31 + DDR ATAGs (docs/kernel-facts.md#rk3588-memory-maps)
 *   vendor:  0x0020_0000 – 0x083F_FFFF, 0x0940_0000 – 0xEFFF_FFFF   (OP-TEE 16 MiB cut out)
 * MMIO hole  0xF000_0000 – 0xFFFF_FFFF          never RAM
 * above 4G   per size (16 GB and 32 GB: 5 MiB and 1 MiB gaps below 16 GiB)
 * alias      capacity + 4 GiB − 256 MiB, 256 MiB (the DRAM behind the hole; newer DDR blobs only;
 *            not on the 32 GB log)
 * </pre>
 */
final class Rock5bPlusMemoryMap {

    /** The RAM sizes in GiB the presets exist for. */
    static final int[] SIZES_GIB = {4, 8, 16, 24, 32};

    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;
    private static final long HOLE_START = 0xF000_0000L;
    private static final long OPTEE_START = 0x0840_0000L;
    private static final long OPTEE_END = 0x0940_0000L;
    private static final long GAP1_START = 0x3_FC00_0000L;
    private static final long GAP1_END = 0x3_FC50_0000L;
    private static final long GAP2_START = 0x3_FFF0_0000L;

    /**
     * One bank with its evidence.
     *
     * @param base         first byte
     * @param endExclusive one past the last byte
     * @param evidence     seen in a log or inferred
     * @param source       where it was seen, or the rule it was inferred from
     */
    record PresetBank(long base, long endExclusive, Evidence evidence, String source) {
    }

    private Rock5bPlusMemoryMap() {
    }

    /** The banks of a {@code gib} GiB board booted with {@code firmware}, in address order. */
    static List<PresetBank> banks(int gib, Firmware firmware) {
        List<PresetBank> banks = new ArrayList<>(bank0(gib, firmware));
        banks.addAll(upperBanks(gib));
        if (firmware.holeAlias() && gib != 32) {
            long alias = gib * GIB + 4 * GIB - 256 * MIB;
            boolean seen = gib != 24;
            banks.add(new PresetBank(alias, alias + 256 * MIB, seen ? Evidence.SEEN : Evidence.INFERRED, seen
                    ? "docs/kernel-facts.md#rk3588-memory-maps Preset A: " + aliasSource(gib)
                    : "docs/kernel-facts.md#rk3588-memory-maps rule capacity + 4 GiB - 256 MiB; no 24 GB log (docs/kernel-facts.md#sources-and-versions)"));
        }
        return banks;
    }

    private static List<PresetBank> bank0(int gib, Firmware firmware) {
        if (!firmware.opteeSplit()) {
            return List.of(new PresetBank(0x0020_0000L, HOLE_START, Evidence.SEEN,
                    "docs/kernel-facts.md#rk3588-memory-maps Preset A: 4 GB E52C, 8 GB ROCK 5A, 16 GB BDY G98 bdinfo, 32 GB Orange Pi 5 Plus logs"));
        }
        boolean seen = gib == 8 || gib == 16;
        Evidence e = seen ? Evidence.SEEN : Evidence.INFERRED;
        String source = seen ? "docs/kernel-facts.md#rk3588-memory-maps Preset B: 16 GB BDY G98 vendor U-Boot log, 8 GB ROCK 5B vendor 5.10 log"
                : "docs/kernel-facts.md#rk3588-memory-maps Preset B rule (bank 0 split around OP-TEE), seen on 8 and 16 GB only";
        return List.of(new PresetBank(0x0020_0000L, OPTEE_START, e, source),
                new PresetBank(OPTEE_END, HOLE_START, e, source));
    }

    private static List<PresetBank> upperBanks(int gib) {
        return switch (gib) {
            case 4 -> List.of();
            case 8 -> List.of(new PresetBank(4 * GIB, 8 * GIB, Evidence.SEEN,
                    "docs/kernel-facts.md#rk3588-memory-maps: 8 GB ROCK 5A mainline 6.12-rc log, ROCK 5B vendor 5.10 log"));
            case 16 -> sixteenGibGaps("docs/kernel-facts.md#rk3588-memory-maps: 16 GB BDY G98 bdinfo and vendor U-Boot log");
            case 24 -> List.of(new PresetBank(4 * GIB, 24 * GIB, Evidence.INFERRED,
                    "docs/kernel-facts.md#rk3588-memory-maps Preset A 24 GB row: only the rule; gaps near the top unknown (docs/kernel-facts.md#sources-and-versions)"));
            case 32 -> {
                List<PresetBank> banks = new ArrayList<>(sixteenGibGaps("docs/kernel-facts.md#rk3588-memory-maps: 32 GB Orange Pi 5 Plus mainline 6.15.7 log"));
                banks.add(new PresetBank(16 * GIB, 32 * GIB, Evidence.SEEN, "docs/kernel-facts.md#rk3588-memory-maps: 32 GB Orange Pi 5 Plus mainline 6.15.7 log"));
                yield banks;
            }
            default -> throw new IllegalArgumentException("ROCK 5B+ RAM size must be one of 4, 8, 16, 24, 32 GiB: " + gib);
        };
    }

    private static List<PresetBank> sixteenGibGaps(String source) {
        return List.of(new PresetBank(4 * GIB, GAP1_START, Evidence.SEEN, source),
                new PresetBank(GAP1_END, GAP2_START, Evidence.SEEN, source));
    }

    private static String aliasSource(int gib) {
        return switch (gib) {
            case 4 -> "4 GB Radxa E52C (RK3582) Ubuntu-Rockchip 6.1 log";
            case 8 -> "8 GB ROCK 5A mainline 6.12-rc log";
            default -> "16 GB BDY G98 bdinfo and vendor U-Boot log";
        };
    }
}
