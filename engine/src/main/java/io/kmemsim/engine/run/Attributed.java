package io.kmemsim.engine.run;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.policy.CompactPriority;
import io.kmemsim.api.policy.CompactionContext;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.FallbackContext;
import io.kmemsim.api.policy.FallbackPolicy;
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
