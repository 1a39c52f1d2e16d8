package io.kmemsim.api.plugin;

import io.kmemsim.api.policy.CompactionPolicy;
import org.apiguardian.api.API;

/** Creates a {@link CompactionPolicy}; registered in {@code META-INF/services/io.kmemsim.api.plugin.CompactionPolicyProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface CompactionPolicyProvider<O extends Record> extends Provider<CompactionPolicy, O> {
}
