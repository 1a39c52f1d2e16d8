/**
 * The kernel's {@code /proc} and debugfs memory files, byte for byte per kernel version: renderers from
 * the {@link io.kmemsim.api.mm.PageAllocator} views and streaming parsers of real snapshots
 * (reference/page-allocator.md §8.5, §9).
 */
package io.kmemsim.engine.procfs;
