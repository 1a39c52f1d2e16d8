package io.kmemsim.arm64;

/**
 * {@code rock5b-plus-8g}: a ROCK 5B+ with 8 GB (docs/kernel-facts.md#rk3588-memory-maps; ✔ seen in a log, ◐ inferred).
 *
 * <table>
 *   <caption>Banks per firmware</caption>
 *   <tr><th>firmware</th><th>banks</th><th>evidence</th></tr>
 *   <tr><td>mainline</td><td>0x0020_0000–0xEFFF_FFFF, 0x1_0000_0000–0x1_FFFF_FFFF, 0x2_F000_0000–0x2_FFFF_FFFF (alias)</td>
 *       <td>✔ ROCK 5A 8 GB, mainline 6.12-rc3-next (FUKAUMI Naoki, Oct 2024)</td></tr>
 *   <tr><td>vendor</td><td>0x0020_0000–0x083F_FFFF, 0x0940_0000–0xEFFF_FFFF, 0x1_0000_0000–0x1_FFFF_FFFF, alias</td>
 *       <td>✔ each bank (split: ROCK 5B vendor 5.10; alias: ROCK 5A); the combination ◐</td></tr>
 *   <tr><td>legacy</td><td>split bank 0, 0x1_0000_0000–0x1_FFFF_FFFF</td><td>✔ ROCK 5B 8 GB vendor 5.10.110 (radxa/meta-rockchip #4)</td></tr>
 *   <tr><td>legacy-mainline</td><td>0x0020_0000–0xEFFF_FFFF, 0x1_0000_0000–0x1_FFFF_FFFF</td>
 *       <td>✔ Orange Pi 5 8 GB Armbian vendor 5.10 (armbian/build #4582)</td></tr>
 * </table>
 */
public final class Rock5bPlus8gProvider extends Rock5bPlusProvider {

    public Rock5bPlus8gProvider() {
        super(8);
    }
}
