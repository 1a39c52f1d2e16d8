package io.kmemsim.api.plugin;

import io.kmemsim.api.policy.ReclaimPolicy;
import org.apiguardian.api.API;

/** Creates a {@link ReclaimPolicy}; registered in {@code META-INF/services/io.kmemsim.api.plugin.ReclaimPolicyProvider}. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface ReclaimPolicyProvider<O extends Record> extends Provider<ReclaimPolicy, O> {
}
