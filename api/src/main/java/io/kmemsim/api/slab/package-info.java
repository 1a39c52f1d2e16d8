/** The object-cache SPI: kmem caches and kmalloc over the page allocator. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.slab;

import org.apiguardian.api.API;
