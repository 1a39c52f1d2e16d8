/**
 * {@code /proc/slabinfo} (version 2.1): a streaming parser of real snapshots and the SLUB geometry
 * check of each row against the kernel's {@code calculate_order} (mm/slub.c: calculate_order() (6.1); mm/slab_common.c: cache_show() (6.1)).
 */
package io.kmemsim.engine.slabinfo;
