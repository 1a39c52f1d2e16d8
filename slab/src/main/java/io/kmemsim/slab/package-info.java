/** The SLAB object-cache plugin (Linux 5.10 and 6.1): per-CPU array caches, colouring, free-index arrays, reaping (reference/slab.md §1, §2, §6, §7.1, §8). */
package io.kmemsim.slab;
