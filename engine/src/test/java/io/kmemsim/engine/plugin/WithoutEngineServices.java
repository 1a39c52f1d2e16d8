package io.kmemsim.engine.plugin;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/** One home for the plugin tests' host class loader. */
final class WithoutEngineServices {

    /**
     * The test class path, minus the engine's own service registrations (the built-in {@code trace}
     * workload), so each test sees exactly the providers it builds.
     */
    static final ClassLoader HOST = new ClassLoader(WithoutEngineServices.class.getClassLoader()) {
        private final String engineClasses = io.kmemsim.engine.trace.TraceWorkloadProvider.class
                .getProtectionDomain().getCodeSource().getLocation().toString();

        @Override
        public java.util.Enumeration<URL> getResources(String name) throws IOException {
            java.util.Enumeration<URL> all = super.getResources(name);
            if (!name.startsWith("META-INF/services/")) {
                return all;
            }
            List<URL> kept = new ArrayList<>();
            for (URL u : java.util.Collections.list(all)) {
                if (!u.toString().startsWith(engineClasses)) {
                    kept.add(u);
                }
            }
            return java.util.Collections.enumeration(kept);
        }
    };

    private WithoutEngineServices() {
    }
}
