package io.kmemsim.engine.twin.boot;

import io.kmemsim.api.arch.ArchHooks;
import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.Provider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.run.FixedContext;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.scenario.ProviderLookup;
import io.kmemsim.engine.plugin.ProviderEntry;
import io.kmemsim.engine.procfs.ZoneinfoRenderer;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Boots the page allocator of a registry on a {@link BootTwin}'s machine: creates the {@code buddy}
 * allocator (with the {@code linux} fallback policy when the registry has one) through its provider, the
 * sysctls bound to the options of the same names, and renders its zoneinfo.
 */
final class BootRun {

    static final String PAGE_ALLOCATOR = "buddy";
    static final String FALLBACK = "linux";

    private BootRun() {
    }

    static String zoneinfo(BootTwin twin, ProviderLookup lookup) {
        PageAllocator allocator = allocator(twin, lookup);
        Platform p = twin.platform();
        return ZoneinfoRenderer.render(twin.kernelVersion(), p.kernelConfig(), p.cpus(), List.of(allocator));
    }

    static PageAllocator allocator(BootTwin twin, ProviderLookup lookup) {
        FixedContext.Builder base = FixedContext.builder(twin.kernelVersion()).platform(twin.platform()).cpus(twin.cpus())
                .archHooks(ArchHooks.NONE);
        Optional<ProviderEntry> fallback = lookup.find(PluginKind.FALLBACK_POLICY, FALLBACK);
        FixedContext noFallback = base.build();
        fallback.ifPresent(e -> base.fallback((FallbackPolicy) create(e, Map.of(), noFallback)));
        FixedContext ctx = base.build();
        ProviderEntry buddy = lookup.find(PluginKind.PAGE_ALLOCATOR, PAGE_ALLOCATOR).orElseThrow(() -> new InputException(
                new InputProblem(PAGE_ALLOCATOR, 0, 0, "", "the boot twin needs the page allocator '" + PAGE_ALLOCATOR
                        + "', which is not installed")));
        try {
            return (PageAllocator) create(buddy, twin.pageAllocatorOptions(), ctx);
        } catch (PluginFailureException e) {
            if (e.getCause() instanceof IllegalArgumentException rejected) {
                throw new InputException(new InputProblem(twin.bundleDir().resolve("sysctl_vm_all.txt").toString(), 0, 0, "",
                        "the machine cannot be booted with these sysctls: " + rejected.getMessage()));
            }
            throw e;
        }
    }

    private static Object create(ProviderEntry entry, Map<String, Object> overrides, ProviderContext ctx) {
        @SuppressWarnings("unchecked")
        Provider<?, Record> provider = (Provider<?, Record>) entry.provider();
        Record options = options(provider.optionsType(), overrides);
        return FaultBoundary.call(entry, "create", () -> provider.create(options, ctx));
    }

    /** The options record: its defaults (public no-argument constructor) with the named components replaced. */
    static <R extends Record> R options(Class<R> type, Map<String, Object> overrides) {
        try {
            R defaults = type.getConstructor().newInstance();
            RecordComponent[] components = type.getRecordComponents();
            Object[] values = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                types[i] = c.getType();
                values[i] = overrides.containsKey(c.getName()) ? overrides.get(c.getName()) : c.getAccessor().invoke(defaults);
            }
            Constructor<R> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("options " + type.getSimpleName() + " cannot be made: " + cause, cause);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new IllegalStateException("options " + type.getSimpleName() + " do not take " + overrides.keySet()
                    + ": " + e.getMessage(), e);
        }
    }
}
