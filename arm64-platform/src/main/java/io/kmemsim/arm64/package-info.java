/**
 * ARM64 platform presets: the Radxa ROCK 5B+ (RK3588) per RAM size and firmware, QEMU {@code virt},
 * and a generic arm64 machine built from banks the scenario lists (reference/arm64-rock5b.md §6–§7).
 *
 * <p>The public surface is the providers and their options records; everything else is package-private.
 */
package io.kmemsim.arm64;
