/**
 * Reclaim SPIs beside the page LRU: slab shrinkers ({@link io.kmemsim.api.reclaim.Shrinker}) that give
 * back objects of reclaimable caches under memory pressure, and the host's side that frees those objects
 * through the object cache ({@link io.kmemsim.api.reclaim.CacheObjects}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
package io.kmemsim.api.reclaim;

import org.apiguardian.api.API;
