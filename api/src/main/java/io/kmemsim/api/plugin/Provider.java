package io.kmemsim.api.plugin;

import org.apiguardian.api.API;

/**
 * The contract every plugin provider shares: a stable id, a description, a typed options record and a
 * factory. Each SPI has its own sub-interface (e.g. {@link io.kmemsim.api.plugin.PageAllocatorProvider});
 * a provider is registered once, in {@code META-INF/services/<that sub-interface>}, and that single
 * registration serves both ServiceLoader on a classpath and PF4J from a plugins directory.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #id()} is stable, lowercase, matches {@code [a-z0-9][a-z0-9.-]*}, and is unique among
 *       the providers of the same kind; the host refuses duplicates.</li>
 *   <li>{@link #optionsType()} is a record the host binds from the scenario (the plugin never sees the
 *       binding library). Its components are the option names; a record with a public no-argument
 *       constructor supplies the defaults, and a component annotated {@link Required} must be
 *       given.</li>
 *   <li>{@link #create} is called by the host's thread only, once per run, with options that were
 *       validated for type; range checks are the provider's: it throws
 *       {@link IllegalArgumentException} naming the option and the value.</li>
 *   <li>Nothing returns or accepts {@code null} unless documented.</li>
 * </ul>
 *
 * @param <T> what the provider creates
 * @param <O> its options record
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Provider<T, O extends Record> {

    /** The stable lowercase id, e.g. {@code buddy}, {@code slub}, {@code linux}, {@code rock5b-plus-8g}. */
    String id();

    /** One line saying what this provider is. */
    String description();

    /** The options record type; {@link NoOptions} when there are none. */
    Class<O> optionsType();

    /**
     * Creates the component for one run.
     *
     * @param options the bound options (defaults where the scenario is silent)
     * @param context what the run already has (kernel, platform, page allocator, …)
     * @throws IllegalArgumentException when an option value is out of range, naming option and value
     */
    T create(O options, ProviderContext context);
}
