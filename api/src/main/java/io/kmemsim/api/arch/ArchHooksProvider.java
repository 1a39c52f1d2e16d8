package io.kmemsim.api.arch;

import io.kmemsim.api.plugin.Provider;
import org.apiguardian.api.API;

/** Creates {@link ArchHooks}; registered in {@code META-INF/services/io.kmemsim.api.arch.ArchHooksProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface ArchHooksProvider<O extends Record> extends Provider<ArchHooks, O> {
}
