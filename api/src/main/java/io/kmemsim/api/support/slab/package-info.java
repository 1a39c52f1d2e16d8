/**
 * What the SLAB and SLUB plugins both need and that is no contract: the PFN-to-slab directory, large
 * kmalloc, cache ids, object-index arithmetic, {@code krealloc} and the argument checks. Internal: for the
 * built-in slab allocators, not for third-party plugins; it may change in any release.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
package io.kmemsim.api.support.slab;

import org.apiguardian.api.API;
