package io.kmemsim.api.workload;

import io.kmemsim.api.plugin.Provider;
import org.apiguardian.api.API;

/** Creates a {@link Workload}; registered in {@code META-INF/services/io.kmemsim.api.workload.WorkloadProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface WorkloadProvider<O extends Record> extends Provider<Workload, O> {
}
