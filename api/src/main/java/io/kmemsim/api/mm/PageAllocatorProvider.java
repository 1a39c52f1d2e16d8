package io.kmemsim.api.mm;

import io.kmemsim.api.plugin.Provider;
import org.apiguardian.api.API;

/** Creates a {@link PageAllocator}; registered in {@code META-INF/services/io.kmemsim.api.mm.PageAllocatorProvider}. */
@API(status = API.Status.STABLE, since = "0.1")
public interface PageAllocatorProvider<O extends Record> extends Provider<PageAllocator, O> {
}
