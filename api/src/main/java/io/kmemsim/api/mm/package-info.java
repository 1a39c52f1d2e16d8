/** The page-allocator SPI: {@link io.kmemsim.api.mm.PageAllocator} and its read-only {@link io.kmemsim.api.mm.Zone} views. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.mm;

import org.apiguardian.api.API;
