/** The Linux binary buddy page allocator as a plugin: zones, free lists per order and migrate type, watermarks and per-CPU lists, per kernel version. */
package io.kmemsim.buddy;
