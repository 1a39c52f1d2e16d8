package io.kmemsim.api.policy;

import io.kmemsim.api.plugin.Provider;
import org.apiguardian.api.API;

/** Creates a {@link CompactionPolicy}; registered in {@code META-INF/services/io.kmemsim.api.policy.CompactionPolicyProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface CompactionPolicyProvider<O extends Record> extends Provider<CompactionPolicy, O> {
}
