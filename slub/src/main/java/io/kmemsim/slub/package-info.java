/** The SLUB object-cache plugin: kmem caches and kmalloc over the page allocator SPI (reference/slab.md §1–§3, §7.1, §8). */
package io.kmemsim.slub;
