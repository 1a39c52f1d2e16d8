package io.kmemsim.engine.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.policy.CompactionPolicy;
import io.kmemsim.api.policy.ReclaimPolicy;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.engine.plugin.PluginFailureException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class AttributedTest {

    /** A wrapper that left a default method to the interface would hide the plugin's own implementation. */
    @Test
    void everyWrapper_forwardsEveryMethodOfItsInterface() {
        assertOverridesAll(Attributed.fallback(c -> 0, "f").getClass(), FallbackPolicy.class);
        assertOverridesAll(Attributed.compaction(CompactionPolicy.NONE, "c").getClass(), CompactionPolicy.class);
        assertOverridesAll(Attributed.arch(ArchHooks.NONE, "a").getClass(), ArchHooks.class);
        assertOverridesAll(Attributed.reclaim(ReclaimPolicy.NONE, "r").getClass(), ReclaimPolicy.class);
        assertOverridesAll(Attributed.pageAllocator(null, "p").getClass(), io.kmemsim.api.mm.PageAllocator.class);
    }

    private static void assertOverridesAll(Class<?> wrapper, Class<?> api) {
        for (Method m : api.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            assertThat(Arrays.stream(wrapper.getDeclaredMethods())
                    .anyMatch(w -> w.getName().equals(m.getName()) && Arrays.equals(w.getParameterTypes(), m.getParameterTypes())))
                    .as(wrapper.getSimpleName() + " forwards " + m).isTrue();
        }
    }

    @Test
    void aThrowingHook_isBlamedOnTheWrappedPlugin_withTheMethod() {
        ArchHooks broken = new ArchHooks() {
            @Override
            public void onPagesFreed(long pfn, int order, int cpu) {
                throw new IllegalStateException("bad pte");
            }
        };
        assertThatThrownBy(() -> Attributed.arch(broken, "my-arch").onPagesFreed(1, 0, 0))
                .isInstanceOfSatisfying(PluginFailureException.class, e -> {
                    assertThat(e.providerId()).isEqualTo("my-arch");
                    assertThat(e.operation()).isEqualTo("onPagesFreed");
                })
                .hasMessage("arch plugin 'my-arch' failed in onPagesFreed: IllegalStateException: bad pte");
    }

    @Test
    void thePageAllocatorAnObjectCacheCalls_isBlamedForItsOwnFault() {
        io.kmemsim.api.mm.PageAllocator broken = (io.kmemsim.api.mm.PageAllocator) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {io.kmemsim.api.mm.PageAllocator.class}, (proxy, m, args) -> {
                    throw new IllegalStateException("free list corrupt");
                });
        assertThatThrownBy(() -> Attributed.pageAllocator(broken, "buddy").allocate(0, 0, 0))
                .isInstanceOfSatisfying(PluginFailureException.class, e -> {
                    assertThat(e.providerId()).isEqualTo("buddy");
                    assertThat(e.operation()).isEqualTo("allocate");
                });
    }

    @Test
    void aFailureAlreadyAttributedFurtherIn_passesUnchanged() {
        PluginFailureException inner = new PluginFailureException("buddy", "page-allocator", "compactionContext", new RuntimeException("x"));
        FallbackPolicy p = c -> {
            throw inner;
        };
        assertThatThrownBy(() -> Attributed.fallback(p, "f").fallback(null)).isSameAs(inner);
    }
}
