package io.kmemsim.arm64;

/**
 * {@code rock5b-plus-32g}: a ROCK 5B+ with 32 GB (docs/kernel-facts.md#rk3588-memory-maps; ✔ seen in a log, ◐ inferred).
 * No firmware reports a hole-alias bank on the 32 GB log, so {@code legacy} equals {@code vendor} and
 * {@code legacy-mainline} equals {@code mainline} here.
 *
 * <table>
 *   <caption>Banks per firmware</caption>
 *   <tr><th>firmware</th><th>banks</th><th>evidence</th></tr>
 *   <tr><td>mainline</td><td>0x0020_0000–0xEFFF_FFFF, 0x1_0000_0000–0x3_FBFF_FFFF, 0x3_FC50_0000–0x3_FFEF_FFFF,
 *       0x4_0000_0000–0x7_FFFF_FFFF</td><td>✔ Orange Pi 5 Plus 32 GB, mainline 6.15.7 boot log</td></tr>
 *   <tr><td>vendor, legacy</td><td>bank 0 split, the rest as mainline</td><td>◐ split; other banks ✔</td></tr>
 * </table>
 */
public final class Rock5bPlus32gProvider extends Rock5bPlusProvider {

    public Rock5bPlus32gProvider() {
        super(32);
    }
}
