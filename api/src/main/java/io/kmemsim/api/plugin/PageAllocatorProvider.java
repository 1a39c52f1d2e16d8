package io.kmemsim.api.plugin;

import io.kmemsim.api.mm.PageAllocator;
import org.apiguardian.api.API;

/** Creates a {@link PageAllocator}; registered in {@code META-INF/services/io.kmemsim.api.plugin.PageAllocatorProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface PageAllocatorProvider<O extends Record> extends Provider<PageAllocator, O> {
}
