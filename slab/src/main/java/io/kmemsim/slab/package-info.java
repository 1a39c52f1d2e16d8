/** The SLAB object-cache plugin (Linux 5.10 and 6.1): per-CPU array caches, colouring, free-index arrays, reaping (include/linux/slab.h: __kmalloc_index() (6.1); mm/slab_common.c: kmem_cache_create_usercopy(), cache_show() (6.1); mm/slab.c: __kmem_cache_create() (6.1); mm/slub.c: alloc_slab_page() (6.1)). */
package io.kmemsim.slab;
