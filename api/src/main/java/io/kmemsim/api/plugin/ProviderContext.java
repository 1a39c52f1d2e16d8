package io.kmemsim.api.plugin;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.trace.TraceListener;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a run already has when a provider is created. The host creates components in a fixed order —
 * platform, policies, arch hooks, page allocator, object caches, workload — and each accessor is valid
 * once its component exists; asking earlier throws {@link IllegalStateException} naming the component.
 *
 * <p>Only the host's thread calls providers; the context may be kept by the created component for
 * the run's duration.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface ProviderContext {

    /** The scenario's kernel version; every version-dependent rule is chosen from it. */
    KernelVersion kernel();

    /** The kernel configuration (page size, configured zones, CMA, …), from the platform and scenario. */
    KernelConfig kernelConfig();

    /** The scenario's seed; a component derives all its randomness from it (never from the clock). */
    long seed();

    /** The number of simulated CPUs (events name CPUs in [0, cpus)). */
    int cpus();

    /** The platform: memory map, zone limits, CPU count. */
    Platform platform();

    /** The migrate-type fallback policy, or empty when the scenario has none (mobility grouping off). */
    Optional<FallbackPolicy> fallbackPolicy();

    /** The compaction policy (a policy that never compacts when the scenario names none). */
    CompactionPolicy compactionPolicy();

    /** The reclaim policy (one that never reclaims when the scenario names none). Since 0.2. */
    default ReclaimPolicy reclaimPolicy() {
        return ReclaimPolicy.NONE;
    }

    /** The architecture hooks (no-op hooks when the scenario names none). */
    ArchHooks archHooks();

    /** The page allocator: valid for object caches, workloads and later components. */
    PageAllocator pageAllocator();

    /** Where tracepoint-level events go (a no-op listener unless the run records a trace). */
    TraceListener traceListener();

    /**
     * A file path written in the scenario (an option such as a trace file), resolved as the host resolves
     * every path of a scenario: a relative path against the directory of the scenario file, whatever the
     * current directory; an absolute path as it is. By default (a context without a scenario file) the path
     * as given.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default java.nio.file.Path resolvePath(String path) {
        return java.nio.file.Path.of(path);
    }
}
