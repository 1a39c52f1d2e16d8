package io.kmemsim.api.plugin;

import io.kmemsim.api.arch.Platform;
import org.apiguardian.api.API;

/**
 * Creates a {@link Platform}; registered in {@code META-INF/services/io.kmemsim.api.plugin.PlatformProvider}.
 * Platform providers are created first: their context knows the kernel and seed, nothing else.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PlatformProvider<O extends Record> extends Provider<Platform, O> {
}
