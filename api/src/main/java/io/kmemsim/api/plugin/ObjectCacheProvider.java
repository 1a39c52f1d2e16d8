package io.kmemsim.api.plugin;

import io.kmemsim.api.slab.ObjectCache;
import org.apiguardian.api.API;

/** Creates an {@link ObjectCache}; registered in {@code META-INF/services/io.kmemsim.api.plugin.ObjectCacheProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface ObjectCacheProvider<O extends Record> extends Provider<ObjectCache, O> {
}
