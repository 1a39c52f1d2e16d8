/** Named counters a component owns, visited with the kernel's names (vmstat, SLUB stats, arch events). */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.stats;

import org.apiguardian.api.API;
