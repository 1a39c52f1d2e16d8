package io.kmemsim.engine.plugin;

import io.kmemsim.engine.InputException;
import java.util.ServiceConfigurationError;
import java.util.function.Supplier;

/**
 * Every call into a plugin goes through here: an exception, a {@link LinkageError} (a plugin built
 * against another api), an {@link AssertionError} or a {@link ServiceConfigurationError} (a provider
 * ServiceLoader cannot load or instantiate) becomes a {@link PluginFailureException} naming the plugin
 * and the operation; {@link OutOfMemoryError}, {@link PluginFailureException}s from nested
 * boundaries and {@link InputException}s (the engine's own providers, such as the trace workload, report
 * a bad input file with it; third-party plugins cannot, it is not in the api) pass through unchanged.
 */
public final class FaultBoundary {

    private FaultBoundary() {
    }

    /** Calls {@code call} as operation {@code operation} of {@code entry}'s plugin. */
    public static <T> T call(ProviderEntry entry, String operation, Supplier<T> call) {
        return call(entry.id(), entry.kind().label(), operation, call);
    }

    /** Calls {@code call} as operation {@code operation} of the plugin {@code providerId} of kind {@code kind}. */
    public static <T> T call(String providerId, String kind, String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (OutOfMemoryError | PluginFailureException | InputException e) {
            throw e;
        } catch (RuntimeException | LinkageError | AssertionError | ServiceConfigurationError e) {
            throw new PluginFailureException(providerId, kind, operation, e);
        }
    }

    /** As {@link #call(String, String, String, Supplier)} for calls without a result. */
    public static void run(String providerId, String kind, String operation, Runnable call) {
        call(providerId, kind, operation, () -> {
            call.run();
            return null;
        });
    }
}
