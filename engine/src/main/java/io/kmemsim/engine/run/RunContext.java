package io.kmemsim.engine.run;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelConfig;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.trace.TraceListener;
import io.kmemsim.engine.plugin.PluginKind;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@link ProviderContext} of one run. The simulation fills it in creation order (platform,
 * fallback, compaction, arch, page-allocator, object-cache, workload); an accessor asked before its
 * component exists throws {@link IllegalStateException} naming the component. The kernel, seed and
 * trace listener are known from the start; the kernel configuration and the CPU count once the
 * platform exists.
 */
final class RunContext implements ProviderContext {

    private static final String ORDER = "components are created in the order platform, fallback, compaction,"
            + " reclaim, arch, page-allocator, object-cache, workload";

    private final KernelVersion kernel;
    private final long seed;
    private final int scenarioCpus;
    private final TraceListener traceListener;
    private Platform platform;
    private Optional<FallbackPolicy> fallback;
    private CompactionPolicy compaction;
    private ReclaimPolicy reclaim;
    private ArchHooks arch;
    private PageAllocator allocator;

    private final Path baseDirectory;

    /**
     * @param scenarioCpus  the scenario's CPU count, or 0 for the platform's
     * @param baseDirectory the scenario file's directory, against which relative paths resolve
     */
    RunContext(KernelVersion kernel, long seed, int scenarioCpus, TraceListener traceListener, Path baseDirectory) {
        this.baseDirectory = Objects.requireNonNull(baseDirectory, "baseDirectory");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.seed = seed;
        this.scenarioCpus = scenarioCpus;
        this.traceListener = Objects.requireNonNull(traceListener, "traceListener");
    }

    void platform(Platform p) {
        this.platform = p;
    }

    /** The fallback policy, handed to later components wrapped so its failures are blamed on it ({@link Attributed}). */
    void fallback(Optional<FallbackPolicy> f, String id) {
        this.fallback = f.map(p -> Attributed.fallback(p, id));
    }

    /** The compaction policy, handed out wrapped as {@link #fallback}; {@link CompactionPolicy#NONE} as itself. */
    void compaction(CompactionPolicy c, String id) {
        this.compaction = c == CompactionPolicy.NONE ? c : Attributed.compaction(c, id);
    }

    /** The reclaim policy, handed out wrapped as {@link #fallback}; {@link ReclaimPolicy#NONE} as itself. */
    void reclaim(ReclaimPolicy r, String id) {
        this.reclaim = r == ReclaimPolicy.NONE ? r : Attributed.reclaim(r, id);
    }

    /** The arch hooks, handed out wrapped as {@link #fallback}; {@link ArchHooks#NONE} as itself. */
    void arch(ArchHooks a, String id) {
        this.arch = a == ArchHooks.NONE ? a : Attributed.arch(a, id);
    }

    /** The page allocator, handed to later components (object cache, workload) wrapped as {@link #fallback}. */
    void allocator(PageAllocator a, String id) {
        this.allocator = Attributed.pageAllocator(a, id);
    }

    private static <T> T require(T value, PluginKind kind, String accessor) {
        if (value == null) {
            throw new IllegalStateException("ProviderContext." + accessor + "() is not available yet: the "
                    + kind.label() + " is not created yet (" + ORDER + ")");
        }
        return value;
    }

    @Override
    public KernelVersion kernel() {
        return kernel;
    }

    @Override
    public KernelConfig kernelConfig() {
        return require(platform, PluginKind.PLATFORM, "kernelConfig").kernelConfig();
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public int cpus() {
        Platform p = require(platform, PluginKind.PLATFORM, "cpus");
        return scenarioCpus > 0 ? scenarioCpus : p.cpus();
    }

    @Override
    public Platform platform() {
        return require(platform, PluginKind.PLATFORM, "platform");
    }

    @Override
    public Optional<FallbackPolicy> fallbackPolicy() {
        return require(fallback, PluginKind.FALLBACK_POLICY, "fallbackPolicy");
    }

    @Override
    public CompactionPolicy compactionPolicy() {
        return require(compaction, PluginKind.COMPACTION_POLICY, "compactionPolicy");
    }

    @Override
    public ReclaimPolicy reclaimPolicy() {
        return require(reclaim, PluginKind.RECLAIM_POLICY, "reclaimPolicy");
    }

    @Override
    public ArchHooks archHooks() {
        return require(arch, PluginKind.ARCH_HOOKS, "archHooks");
    }

    @Override
    public PageAllocator pageAllocator() {
        return require(allocator, PluginKind.PAGE_ALLOCATOR, "pageAllocator");
    }

    @Override
    public TraceListener traceListener() {
        return traceListener;
    }

    @Override
    public Path resolvePath(String path) {
        return baseDirectory.resolve(path);
    }
}
