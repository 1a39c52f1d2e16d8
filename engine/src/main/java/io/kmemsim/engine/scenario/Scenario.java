package io.kmemsim.engine.scenario;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.engine.plugin.PluginKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated, bound scenario: what to simulate (docs/scenarios.md documents every key).
 *
 * @param name          a label for reports (default: the file name without extension)
 * @param kernel        the kernel version every version-dependent rule is chosen from
 * @param seed          the seed all randomness derives from
 * @param cpus          the number of simulated CPUs, or 0 for the platform's count
 * @param platform      the platform preset
 * @param fallback      the migrate-type fallback policy (empty: mobility grouping off)
 * @param compaction    the compaction policy (empty: never compact)
 * @param reclaim       the reclaim policy (empty: never reclaim)
 * @param arch          the architecture hooks (empty: hooks that model nothing)
 * @param pageAllocator the page allocator
 * @param objectCache   the slab allocator (empty: workloads may not use kmalloc or caches)
 * @param workload      the event stream
 * @param run           the engine's settings
 */
public record Scenario(String name, KernelVersion kernel, long seed, int cpus, ComponentConfig platform,
                       Optional<ComponentConfig> fallback, Optional<ComponentConfig> compaction,
                       Optional<ComponentConfig> reclaim, Optional<ComponentConfig> arch, ComponentConfig pageAllocator,
                       Optional<ComponentConfig> objectCache, ComponentConfig workload, RunSettings run) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(run, "run");
        if (cpus < 0) {
            throw new IllegalArgumentException("cpus must be >= 0: " + cpus);
        }
        requireKind(platform, PluginKind.PLATFORM);
        requireKind(pageAllocator, PluginKind.PAGE_ALLOCATOR);
        requireKind(workload, PluginKind.WORKLOAD);
        fallback.ifPresent(c -> requireKind(c, PluginKind.FALLBACK_POLICY));
        compaction.ifPresent(c -> requireKind(c, PluginKind.COMPACTION_POLICY));
        reclaim.ifPresent(c -> requireKind(c, PluginKind.RECLAIM_POLICY));
        arch.ifPresent(c -> requireKind(c, PluginKind.ARCH_HOOKS));
        objectCache.ifPresent(c -> requireKind(c, PluginKind.OBJECT_CACHE));
    }

    private static void requireKind(ComponentConfig c, PluginKind kind) {
        Objects.requireNonNull(c, kind.label());
        if (c.kind() != kind) {
            throw new IllegalArgumentException("the " + kind.label() + " slot holds a " + c.kind().label());
        }
    }

    /** The component of {@code kind}, if the scenario names one. */
    public Optional<ComponentConfig> component(PluginKind kind) {
        return switch (kind) {
            case PLATFORM -> Optional.of(platform);
            case FALLBACK_POLICY -> fallback;
            case COMPACTION_POLICY -> compaction;
            case RECLAIM_POLICY -> reclaim;
            case ARCH_HOOKS -> arch;
            case PAGE_ALLOCATOR -> Optional.of(pageAllocator);
            case OBJECT_CACHE -> objectCache;
            case WORKLOAD -> Optional.of(workload);
        };
    }

    /** The components present, in creation order (platform, policies, arch, allocator, cache, workload). */
    public List<ComponentConfig> components() {
        List<ComponentConfig> out = new ArrayList<>(PluginKind.values().length);
        for (PluginKind kind : PluginKind.values()) {
            component(kind).ifPresent(out::add);
        }
        return List.copyOf(out);
    }
}
