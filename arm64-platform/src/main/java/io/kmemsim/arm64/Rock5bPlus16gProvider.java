package io.kmemsim.arm64;

/**
 * {@code rock5b-plus-16g}: a ROCK 5B+ with 16 GB (docs/kernel-facts.md#rk3588-memory-maps; ✔ seen in a log, ◐ inferred).
 *
 * <table>
 *   <caption>Banks per firmware</caption>
 *   <tr><th>firmware</th><th>banks</th><th>evidence</th></tr>
 *   <tr><td>mainline</td><td>0x0020_0000–0xEFFF_FFFF, 0x1_0000_0000–0x3_FBFF_FFFF, 0x3_FC50_0000–0x3_FFEF_FFFF,
 *       0x4_F000_0000–0x4_FFFF_FFFF (alias)</td><td>✔ BDY G98 16 GB, mainline U-Boot 2026.07 bdinfo</td></tr>
 *   <tr><td>vendor</td><td>bank 0 split at 0x0840_0000–0x093F_FFFF, the rest as mainline</td>
 *       <td>✔ BDY G98 16 GB vendor U-Boot, Linux 6.18.48-ophub boot log</td></tr>
 *   <tr><td>legacy</td><td>as vendor without the alias</td><td>◐ (old firmware may express the two gaps as no-map
 *       reserved memory instead of bank splits, docs/kernel-facts.md#rk3588-memory-maps Preset C; not modelled)</td></tr>
 *   <tr><td>legacy-mainline</td><td>as mainline without the alias</td><td>◐</td></tr>
 * </table>
 */
public final class Rock5bPlus16gProvider extends Rock5bPlusProvider {

    public Rock5bPlus16gProvider() {
        super(16);
    }
}
