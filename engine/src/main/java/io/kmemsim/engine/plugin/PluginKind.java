package io.kmemsim.engine.plugin;

import io.kmemsim.api.plugin.ArchHooksProvider;
import io.kmemsim.api.plugin.CompactionPolicyProvider;
import io.kmemsim.api.plugin.FallbackPolicyProvider;
import io.kmemsim.api.plugin.ObjectCacheProvider;
import io.kmemsim.api.plugin.PageAllocatorProvider;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.plugin.ReclaimPolicyProvider;
import io.kmemsim.api.plugin.WorkloadProvider;

/** The closed set of provider kinds, each with its provider interface and the label users see. */
public enum PluginKind {
    PLATFORM(PlatformProvider.class, "platform"),
    FALLBACK_POLICY(FallbackPolicyProvider.class, "fallback"),
    COMPACTION_POLICY(CompactionPolicyProvider.class, "compaction"),
    RECLAIM_POLICY(ReclaimPolicyProvider.class, "reclaim"),
    ARCH_HOOKS(ArchHooksProvider.class, "arch"),
    PAGE_ALLOCATOR(PageAllocatorProvider.class, "page-allocator"),
    OBJECT_CACHE(ObjectCacheProvider.class, "object-cache"),
    WORKLOAD(WorkloadProvider.class, "workload");

    @SuppressWarnings("rawtypes")
    private final Class<? extends Provider> providerInterface;
    private final String label;

    @SuppressWarnings("rawtypes")
    PluginKind(Class<? extends Provider> providerInterface, String label) {
        this.providerInterface = providerInterface;
        this.label = label;
    }

    /** The provider interface registered in {@code META-INF/services}. */
    @SuppressWarnings("rawtypes")
    public Class<? extends Provider> providerInterface() {
        return providerInterface;
    }

    /** The lowercase label printed by {@code plugins list} and used as the scenario key. */
    public String label() {
        return label;
    }
}
