package io.kmemsim.arm64;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ROCK 5B+ boot firmware variants of docs/kernel-facts.md#rk3588-memory-maps, which decide the DRAM banks
 * U-Boot hands to Linux (docs/kernel-facts.md#rk3588-memory-maps).
 */
enum Firmware {
    /** Preset A: mainline TF-A + mainline U-Boot, no OP-TEE, current DDR blob (hole-alias bank reported). */
    MAINLINE("mainline", false, true),
    /** Preset B: Radxa/Rockchip vendor U-Boot + OP-TEE: bank 0 split around {@code 0x0840_0000–0x093F_FFFF}. */
    VENDOR("vendor", true, true),
    /**
     * Preset C on vendor firmware: 2022–2023 Radxa vendor U-Boot + OP-TEE and an old DDR blob: bank 0
     * split, no hole-alias bank (the ROCK 5B 8 GB vendor 5.10 log of radxa/meta-rockchip #4).
     */
    LEGACY("legacy", true, false),
    /**
     * Preset C without OP-TEE: old firmware that neither splits bank 0 nor reports the alias bank (the
     * Orange Pi 5 8 GB Armbian vendor 5.10 log, armbian/build #4582).
     */
    LEGACY_MAINLINE("legacy-mainline", false, false);

    private final String id;
    private final boolean opteeSplit;
    private final boolean holeAlias;

    Firmware(String id, boolean opteeSplit, boolean holeAlias) {
        this.id = id;
        this.opteeSplit = opteeSplit;
        this.holeAlias = holeAlias;
    }

    String id() {
        return id;
    }

    /** True when OP-TEE's 16 MiB at {@code 0x0840_0000} is cut out of bank 0. */
    boolean opteeSplit() {
        return opteeSplit;
    }

    /** True when the DRAM behind the MMIO hole is reported at {@code capacity + 4 GiB − 256 MiB}. */
    boolean holeAlias() {
        return holeAlias;
    }

    /** The variant named {@code text}; the error names the option and lists the valid values. */
    static Firmware parse(String platform, String text) {
        for (Firmware f : values()) {
            if (f.id.equals(text)) {
                return f;
            }
        }
        throw new IllegalArgumentException(platform + " option firmware must be one of " + ids() + ": " + text);
    }

    /** The valid values, comma separated. */
    static String ids() {
        return Arrays.stream(values()).map(Firmware::id).collect(Collectors.joining(", "));
    }
}
