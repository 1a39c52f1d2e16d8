/**
 * The kernel's {@code /proc} and debugfs memory files, byte for byte per kernel version: renderers from
 * the {@link io.kmemsim.api.mm.PageAllocator} views and streaming parsers of real snapshots
 * (mm/vmstat.c: unusable_show_print(), frag_show_print() (6.1)).
 */
package io.kmemsim.engine.procfs;
