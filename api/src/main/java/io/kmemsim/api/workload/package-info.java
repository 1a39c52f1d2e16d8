/** Workloads: streams of simulation events, and the event flyweight they fill. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.workload;

import org.apiguardian.api.API;
