/** The policy SPIs the page allocator delegates decisions to: migrate-type fallback, compaction and reclaim. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.policy;

import org.apiguardian.api.API;
