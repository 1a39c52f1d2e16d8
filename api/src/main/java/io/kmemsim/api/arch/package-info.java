/** The architecture SPIs: the {@link io.kmemsim.api.arch.Platform} memory map and the {@link io.kmemsim.api.arch.ArchHooks} around page allocation. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.arch;

import org.apiguardian.api.API;
