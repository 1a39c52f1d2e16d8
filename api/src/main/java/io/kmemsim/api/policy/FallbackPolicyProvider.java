package io.kmemsim.api.policy;

import io.kmemsim.api.plugin.Provider;
import org.apiguardian.api.API;

/** Creates a {@link FallbackPolicy}; registered in {@code META-INF/services/io.kmemsim.api.policy.FallbackPolicyProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface FallbackPolicyProvider<O extends Record> extends Provider<FallbackPolicy, O> {
}
