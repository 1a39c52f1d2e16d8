/**
 * {@code /proc/slabinfo} (version 2.1): a streaming parser of real snapshots and the SLUB geometry
 * check of each row against the kernel's {@code calculate_order} (reference/slab.md §3.3, §7).
 */
package io.kmemsim.engine.slabinfo;
