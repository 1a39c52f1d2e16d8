package io.kmemsim.arm64;

/**
 * {@code rock5b-plus-24g}: a ROCK 5B+ with 24 GB — a probable but unverified SKU (
 * docs/kernel-facts.md#arm64-and-rk3588; docs/kernel-facts.md#sources-and-versions); every bank above 4 GiB is ◐ inferred, no 24 GB RK3588 log exists.
 *
 * <table>
 *   <caption>Banks per firmware</caption>
 *   <tr><th>firmware</th><th>banks</th><th>evidence</th></tr>
 *   <tr><td>mainline</td><td>0x0020_0000–0xEFFF_FFFF (✔), 0x1_0000_0000–0x5_FFFF_FFFF (◐, gaps near the top unknown),
 *       0x6_F000_0000–0x6_FFFF_FFFF alias (◐ capacity + 4 GiB − 256 MiB rule)</td><td>◐</td></tr>
 *   <tr><td>vendor</td><td>bank 0 split, the rest as mainline</td><td>◐</td></tr>
 *   <tr><td>legacy</td><td>as vendor without the alias</td><td>◐</td></tr>
 *   <tr><td>legacy-mainline</td><td>as mainline without the alias</td><td>◐</td></tr>
 * </table>
 */
public final class Rock5bPlus24gProvider extends Rock5bPlusProvider {

    public Rock5bPlus24gProvider() {
        super(24);
    }
}
