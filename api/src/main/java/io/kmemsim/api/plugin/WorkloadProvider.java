package io.kmemsim.api.plugin;

import io.kmemsim.api.workload.Workload;
import org.apiguardian.api.API;

/** Creates a {@link Workload}; registered in {@code META-INF/services/io.kmemsim.api.plugin.WorkloadProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface WorkloadProvider<O extends Record> extends Provider<Workload, O> {
}
