package io.kmemsim.api.plugin;

import io.kmemsim.api.policy.FallbackPolicy;
import org.apiguardian.api.API;

/** Creates a {@link FallbackPolicy}; registered in {@code META-INF/services/io.kmemsim.api.plugin.FallbackPolicyProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface FallbackPolicyProvider<O extends Record> extends Provider<FallbackPolicy, O> {
}
