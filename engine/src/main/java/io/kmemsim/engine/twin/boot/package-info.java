/**
 * The boot of a real machine rebuilt from a capture bundle's boot lines: its memory map, the kernel's
 * memblock reservations, and the zone tunables as the kernel computes them, rendered as a boot-time
 * {@code /proc/zoneinfo}.
 */
package io.kmemsim.engine.twin.boot;
