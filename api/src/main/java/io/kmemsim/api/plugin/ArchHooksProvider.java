package io.kmemsim.api.plugin;

import io.kmemsim.api.arch.ArchHooks;
import org.apiguardian.api.API;

/** Creates {@link ArchHooks}; registered in {@code META-INF/services/io.kmemsim.api.plugin.ArchHooksProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface ArchHooksProvider<O extends Record> extends Provider<ArchHooks, O> {
}
