package io.kmemsim.engine.run;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackContext;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.policy.CompactionResult;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.plugin.PluginKind;

/**
 * The components one plugin hands to another, wrapped so that a failure is blamed on the plugin that
 * was called, not on its caller: the page allocator calls the fallback and compaction policies and the
 * arch hooks itself (through {@link io.kmemsim.api.plugin.ProviderContext}), so without these wrappers a
 * compaction policy throwing in {@code onTick} would surface as the allocator's failure in {@code tick}.
 *
 * <p>Each wrapper forwards every method of its interface (a test checks that none is left to a default
 * method, which would hide the plugin's own) and turns a {@link RuntimeException}, {@link LinkageError}
 * or {@link AssertionError} into a {@link PluginFailureException} naming the wrapped plugin and the
 * method; a {@link PluginFailureException} from further in (e.g. the allocator's context called back by
 * the policy, if it is attributed) and {@link OutOfMemoryError} pass unchanged. A try block costs nothing
 * until something is thrown, so the arch hooks on the allocation path stay allocation-free.
 */
final class Attributed {

    private Attributed() {
    }

    static PluginFailureException blame(String id, PluginKind kind, String operation, Throwable t) {
        if (t instanceof PluginFailureException p) {
            return p;
        }
        return new PluginFailureException(id, kind.label(), operation, t);
    }

    /** {@code policy}, blamed as fallback policy {@code id}. */
    static FallbackPolicy fallback(FallbackPolicy policy, String id) {
        return new Fallback(policy, id);
    }

    /** {@code policy}, blamed as compaction policy {@code id}. */
    static CompactionPolicy compaction(CompactionPolicy policy, String id) {
        return new Compaction(policy, id);
    }

    /** {@code policy}, blamed as reclaim policy {@code id}. */
    static ReclaimPolicy reclaim(ReclaimPolicy policy, String id) {
        return new Reclaim(policy, id);
    }

    /** {@code hooks}, blamed as arch hooks {@code id}. */
    static ArchHooks arch(ArchHooks hooks, String id) {
        return new Arch(hooks, id);
    }

    private record Fallback(FallbackPolicy policy, String id) implements FallbackPolicy {
        @Override
        public long fallback(FallbackContext context) {
            try {
                return policy.fallback(context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, PluginKind.FALLBACK_POLICY, "fallback", e);
            }
        }
    }

    /**
     * {@code allocator}, blamed as page allocator {@code id} when another plugin calls it (an object cache or a
     * workload): a buddy fault inside a SLUB call is the buddy's, not SLUB's.
     */
    static PageAllocator pageAllocator(PageAllocator allocator, String id) {
        return new Allocator(allocator, id);
    }

    private record Allocator(PageAllocator allocator, String id) implements PageAllocator {
        private static final PluginKind KIND = PluginKind.PAGE_ALLOCATOR;

        @Override
        public long allocate(int order, int gfp, int cpu) {
            try {
                return allocator.allocate(order, gfp, cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "allocate", e);
            }
        }

        @Override
        public void free(long pfn, int order, int cpu) {
            try {
                allocator.free(pfn, order, cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "free", e);
            }
        }

        @Override
        public long allocateAt(long pfn, int order, int gfp, int cpu) {
            try {
                return allocator.allocateAt(pfn, order, gfp, cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "allocateAt", e);
            }
        }

        @Override
        public void importFreeAreas(io.kmemsim.api.mm.FreeAreaSnapshot snapshot) {
            try {
                allocator.importFreeAreas(snapshot);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "importFreeAreas", e);
            }
        }

        @Override
        public void importPageState(io.kmemsim.api.mm.PageStateImage image) {
            try {
                allocator.importPageState(image);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "importPageState", e);
            }
        }

        @Override
        public boolean pcpRefillAt(long pfn, int order, int cpu) {
            try {
                return allocator.pcpRefillAt(pfn, order, cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "pcpRefillAt", e);
            }
        }

        @Override
        public boolean pcpDrainAt(long pfn, int order) {
            try {
                return allocator.pcpDrainAt(pfn, order);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "pcpDrainAt", e);
            }
        }

        @Override
        public void freeTraced(long pfn, int order, int cpu) {
            try {
                allocator.freeTraced(pfn, order, cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "freeTraced", e);
            }
        }

        @Override
        public int pcpFreeBulk(io.kmemsim.api.kernel.ZoneType zone, int cpu, int pages) {
            try {
                return allocator.pcpFreeBulk(zone, cpu, pages);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "pcpFreeBulk", e);
            }
        }

        @Override
        public int pcpRefill(io.kmemsim.api.kernel.ZoneType zone, int cpu, int pages, io.kmemsim.api.kernel.MigrateType type) {
            try {
                return allocator.pcpRefill(zone, cpu, pages, type);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "pcpRefill", e);
            }
        }

        @Override
        public void setPageblockType(long pfn, io.kmemsim.api.kernel.MigrateType type) {
            try {
                allocator.setPageblockType(pfn, type);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "setPageblockType", e);
            }
        }

        @Override
        public void compactMemory() {
            try {
                allocator.compactMemory();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "compactMemory", e);
            }
        }

        @Override
        public void compactMemory(int cpu) {
            try {
                allocator.compactMemory(cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "compactMemory", e);
            }
        }

        @Override
        public java.util.Set<Capability> capabilities() {
            try {
                return allocator.capabilities();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "capabilities", e);
            }
        }

        @Override
        public int maxOrder() {
            try {
                return allocator.maxOrder();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "maxOrder", e);
            }
        }

        @Override
        public int pageblockOrder() {
            try {
                return allocator.pageblockOrder();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "pageblockOrder", e);
            }
        }

        @Override
        public java.util.List<? extends io.kmemsim.api.mm.Zone> zones() {
            try {
                return allocator.zones();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "zones", e);
            }
        }

        @Override
        public void drainPerCpuLists() {
            try {
                allocator.drainPerCpuLists();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "drainPerCpuLists", e);
            }
        }

        @Override
        public long cycles() {
            try {
                return allocator.cycles();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "cycles", e);
            }
        }

        @Override
        public void tick(long nowNanos) {
            try {
                allocator.tick(nowNanos);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "tick", e);
            }
        }

        @Override
        public void setMigrationListener(io.kmemsim.api.mm.MigrationListener listener) {
            try {
                allocator.setMigrationListener(listener);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "setMigrationListener", e);
            }
        }

        @Override
        public void lruAdd(long pfn, int order, long pageFlags) {
            try {
                allocator.lruAdd(pfn, order, pageFlags);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "lruAdd", e);
            }
        }

        @Override
        public void pageAccessed(long pfn, boolean write) {
            try {
                allocator.pageAccessed(pfn, write);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "pageAccessed", e);
            }
        }

        @Override
        public void writeback() {
            try {
                allocator.writeback();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "writeback", e);
            }
        }

        @Override
        public void registerShrinker(io.kmemsim.api.reclaim.Shrinker shrinker) {
            try {
                allocator.registerShrinker(shrinker);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "registerShrinker", e);
            }
        }

        @Override
        public void setReclaimListener(io.kmemsim.api.mm.ReclaimListener listener) {
            try {
                allocator.setReclaimListener(listener);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "setReclaimListener", e);
            }
        }

        @Override
        public void setNarrator(io.kmemsim.api.mm.Narrator narrator) {
            try {
                allocator.setNarrator(narrator);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "setNarrator", e);
            }
        }

        @Override
        public void checkInvariants() {
            try {
                allocator.checkInvariants();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "checkInvariants", e);
            }
        }

        @Override
        public void forEachCounter(io.kmemsim.api.stats.CounterVisitor visitor) {
            try {
                allocator.forEachCounter(visitor);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "forEachCounter", e);
            }
        }
    }

    private record Reclaim(ReclaimPolicy policy, String id) implements ReclaimPolicy {
        private static final PluginKind KIND = PluginKind.RECLAIM_POLICY;

        @Override
        public void wakeKswapd(int order, int gfp, int highestZoneIndex, ReclaimContext context) {
            try {
                policy.wakeKswapd(order, gfp, highestZoneIndex, context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "wakeKswapd", e);
            }
        }

        @Override
        public void onTick(long nowNanos, ReclaimContext context) {
            try {
                policy.onTick(nowNanos, context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "onTick", e);
            }
        }

        @Override
        public long directReclaim(int order, int gfp, int highestZoneIndex, ReclaimContext context) {
            try {
                return policy.directReclaim(order, gfp, highestZoneIndex, context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "directReclaim", e);
            }
        }

        @Override
        public long zoneReclaimablePages(int zoneIndex, ReclaimContext context) {
            try {
                return policy.zoneReclaimablePages(zoneIndex, context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "zoneReclaimablePages", e);
            }
        }

        @Override
        public boolean outOfMemory(int order, int gfp, ReclaimContext context) {
            try {
                return policy.outOfMemory(order, gfp, context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "outOfMemory", e);
            }
        }
    }

    private record Compaction(CompactionPolicy policy, String id) implements CompactionPolicy {
        private static final PluginKind KIND = PluginKind.COMPACTION_POLICY;

        @Override
        public CompactionResult compactDirect(int order, int gfp, CompactPriority priority, CompactionContext context) {
            try {
                return policy.compactDirect(order, gfp, priority, context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "compactDirect", e);
            }
        }

        @Override
        public void afterCompaction(int order, int gfp, boolean allocated, CompactionContext context) {
            try {
                policy.afterCompaction(order, gfp, allocated, context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "afterCompaction", e);
            }
        }

        @Override
        public void wakeKcompactd(int order, int highestZoneIndex) {
            try {
                policy.wakeKcompactd(order, highestZoneIndex);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "wakeKcompactd", e);
            }
        }

        @Override
        public void onTick(long nowNanos, CompactionContext context) {
            try {
                policy.onTick(nowNanos, context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "onTick", e);
            }
        }

        @Override
        public void compactNode(CompactionContext context) {
            try {
                policy.compactNode(context);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "compactNode", e);
            }
        }
    }

    private record Arch(ArchHooks hooks, String id) implements ArchHooks {
        private static final PluginKind KIND = PluginKind.ARCH_HOOKS;

        @Override
        public void onPagesAllocated(long pfn, int order, int gfp, int cpu) {
            try {
                hooks.onPagesAllocated(pfn, order, gfp, cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "onPagesAllocated", e);
            }
        }

        @Override
        public void onPagesCopied(long srcPfn, long dstPfn, int order, int cpu) {
            try {
                hooks.onPagesCopied(srcPfn, dstPfn, order, cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "onPagesCopied", e);
            }
        }

        @Override
        public void onPagesFreed(long pfn, int order, int cpu) {
            try {
                hooks.onPagesFreed(pfn, order, cpu);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "onPagesFreed", e);
            }
        }

        @Override
        public void onEvent(Event event) {
            try {
                hooks.onEvent(event);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "onEvent", e);
            }
        }

        @Override
        public long cycles() {
            try {
                return hooks.cycles();
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "cycles", e);
            }
        }

        @Override
        public void forEachCounter(CounterVisitor visitor) {
            try {
                hooks.forEachCounter(visitor);
            } catch (RuntimeException | LinkageError | AssertionError e) {
                throw blame(id, KIND, "forEachCounter", e);
            }
        }
    }
}
