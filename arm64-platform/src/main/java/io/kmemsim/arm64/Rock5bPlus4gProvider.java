package io.kmemsim.arm64;

/**
 * {@code rock5b-plus-4g}: a ROCK 5B+ with 4 GB (docs/kernel-facts.md#rk3588-memory-maps; ✔ seen in a log, ◐ inferred).
 *
 * <table>
 *   <caption>Banks per firmware</caption>
 *   <tr><th>firmware</th><th>banks</th><th>evidence</th></tr>
 *   <tr><td>mainline</td><td>0x0020_0000–0xEFFF_FFFF, 0x1_F000_0000–0x1_FFFF_FFFF (alias)</td>
 *       <td>✔ Radxa E52C (RK3582) 4 GB, Ubuntu-Rockchip 6.1 (#1263)</td></tr>
 *   <tr><td>vendor</td><td>0x0020_0000–0x083F_FFFF, 0x0940_0000–0xEFFF_FFFF, alias</td>
 *       <td>◐ split by the Preset B rule; alias ✔</td></tr>
 *   <tr><td>legacy</td><td>split bank 0, no alias</td><td>◐ split; no-alias ✔ (Orange Pi 5 4 GB: Normal empty, #361)</td></tr>
 *   <tr><td>legacy-mainline</td><td>0x0020_0000–0xEFFF_FFFF only</td><td>✔ Orange Pi 5 4 GB zone ranges (#361)</td></tr>
 * </table>
 */
public final class Rock5bPlus4gProvider extends Rock5bPlusProvider {

    public Rock5bPlus4gProvider() {
        super(4);
    }
}
