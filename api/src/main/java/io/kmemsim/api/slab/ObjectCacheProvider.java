package io.kmemsim.api.slab;

import io.kmemsim.api.plugin.Provider;
import org.apiguardian.api.API;

/** Creates an {@link ObjectCache}; registered in {@code META-INF/services/io.kmemsim.api.slab.ObjectCacheProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface ObjectCacheProvider<O extends Record> extends Provider<ObjectCache, O> {
}
