package io.kmemsim.engine.plugin;

import org.pf4j.ClassLoadingStrategy;
import org.pf4j.PluginClassLoader;
import org.pf4j.PluginDescriptor;
import org.pf4j.PluginManager;

/**
 * A plugin's class loader: the plugin's own classes first (PF4J's default order, so a plugin may bundle
 * its own libraries), except the kmemsim api, which always comes from the host's loader.
 *
 * <p>PF4J 3.14.1's default {@link ClassLoadingStrategy#PDA} would load an api class from the plugin jar
 * when the jar bundles one (a plugin built with the api in {@code compile} instead of {@code provided}
 * scope); the host would then see two different {@code Provider} types and fail with a
 * {@link ClassCastException} far from the cause. Delegating {@code io.kmemsim.api.*} to the parent makes
 * a bundled copy harmless.
 */
final class ApiFirstPluginClassLoader extends PluginClassLoader {

    private static final String API_PACKAGE_PREFIX = "io.kmemsim.api.";

    static {
        registerAsParallelCapable();
    }

    ApiFirstPluginClassLoader(PluginManager manager, PluginDescriptor descriptor, ClassLoader parent) {
        super(manager, descriptor, parent, ClassLoadingStrategy.PDA);
    }

    @Override
    public Class<?> loadClass(String className) throws ClassNotFoundException {
        if (className.startsWith(API_PACKAGE_PREFIX)) {
            return getParent().loadClass(className);
        }
        return super.loadClass(className);
    }
}
