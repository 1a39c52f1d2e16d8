/**
 * The SLUB object-cache plugin: kmem caches and kmalloc over the page allocator SPI, slub_debug with simulated
 * object bytes and the kernel's reports, and the /sys/kernel/slab attribute texts (reference/slab.md §1–§5, §7.1, §8).
 */
package io.kmemsim.slub;
