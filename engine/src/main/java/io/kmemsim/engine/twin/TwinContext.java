package io.kmemsim.engine.twin;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import java.util.Optional;

/** The {@link ProviderContext} of a twin: the bundle's machine as platform, components set as they are created. */
final class TwinContext implements ProviderContext {

    private final Machine machine;
    private final Platform platform;
    Optional<FallbackPolicy> fallback = Optional.empty();
    CompactionPolicy compaction = CompactionPolicy.NONE;
    PageAllocator allocator;
    String allocatorId = "buddy";
    /** The slab twin's object cache (its pages from its own accounting-only page allocator), or null. */
    io.kmemsim.api.slab.ObjectCache objectCache;
    String objectCacheId = "slub";

    TwinContext(Machine machine) {
        this.machine = machine;
        this.platform = new ZoneinfoPlatform(machine);
    }

    @Override
    public KernelVersion kernel() {
        return machine.kernel();
    }

    @Override
    public KernelConfig kernelConfig() {
        return machine.config();
    }

    @Override
    public long seed() {
        return 1;
    }

    @Override
    public int cpus() {
        return machine.cpus();
    }

    @Override
    public Platform platform() {
        return platform;
    }

    @Override
    public Optional<FallbackPolicy> fallbackPolicy() {
        return fallback;
    }

    @Override
    public CompactionPolicy compactionPolicy() {
        return compaction;
    }

    @Override
    public ArchHooks archHooks() {
        return ArchHooks.NONE;
    }

    @Override
    public PageAllocator pageAllocator() {
        if (allocator == null) {
            throw new IllegalStateException("ProviderContext.pageAllocator() is not available yet: the page allocator is not created yet");
        }
        return allocator;
    }

    @Override
    public TraceListener traceListener() {
        return TraceListener.NONE;
    }
}
