package io.kmemsim.api.arch;

import io.kmemsim.api.plugin.Provider;
import org.apiguardian.api.API;

/**
 * Creates a {@link Platform}; registered in {@code META-INF/services/io.kmemsim.api.arch.PlatformProvider}.
 * Platform providers are created first: their context knows the kernel and seed, nothing else.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PlatformProvider<O extends Record> extends Provider<Platform, O> {
}
