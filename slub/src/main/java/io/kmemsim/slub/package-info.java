/**
 * The SLUB object-cache plugin: kmem caches and kmalloc over the page allocator SPI, slub_debug with simulated
 * object bytes and the kernel's reports, and the /sys/kernel/slab attribute texts (include/linux/slab.h: __kmalloc_index() (6.1); lib/slub_kunit.c: test_cases[] (6.1); mm/slab_common.c: cache_show() (6.1); mm/slub.c: alloc_slab_page() (6.1)).
 */
package io.kmemsim.slub;
