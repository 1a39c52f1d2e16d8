/**
 * ARM64 platform presets: the Radxa ROCK 5B+ (RK3588) per RAM size and firmware, QEMU {@code virt},
 * and a generic arm64 machine built from banks the scenario lists (arch/arm64/mm/init.c: zone_sizes_init() (6.1); docs/kernel-facts.md#arm64-and-rk3588).
 *
 * <p>The public surface is the providers and their options records; everything else is package-private.
 */
package io.kmemsim.arm64;
