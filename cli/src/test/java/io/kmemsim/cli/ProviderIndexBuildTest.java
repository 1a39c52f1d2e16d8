package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.plugin.Provider;
import io.kmemsim.engine.plugin.PluginKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The provider index every built-in plugin carries (written at build time by build-tools/ProviderIndex.java)
 * lists exactly the providers ServiceLoader finds in it, with the ids they report: the registry trusts it
 * to know ids without loading classes.
 */
class ProviderIndexBuildTest {

    private static final String INDEX = "META-INF/kmemsim/providers";

    @Test
    void everyBuiltInPlugin_hasAnIndexOfItsProvidersWithTheirIds() throws IOException {
        ClassLoader loader = ProviderIndexBuildTest.class.getClassLoader();
        List<URL> indexes = Collections.list(loader.getResources(INDEX));
        // buddy, slab, slub, arm64-platform, policies, workloads
        assertThat(indexes).hasSize(6);
        Set<String> indexed = new HashSet<>();
        for (URL url : indexes) {
            try (InputStream in = url.openStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        assertThat(indexed.add(line.strip())).as("listed once: " + line).isTrue();
                    }
                }
            }
        }
        Set<String> found = new HashSet<>();
        for (PluginKind kind : PluginKind.values()) {
            for (ServiceLoader.Provider<? extends Provider> p : ServiceLoader.load(kind.providerInterface(), loader).stream().toList()) {
                if (p.type().getName().startsWith("io.kmemsim.engine.")) {
                    continue; // the engine's own trace workload is on the class path, not a plugin
                }
                found.add(kind.providerInterface().getName() + " " + p.get().id() + " " + p.type().getName());
            }
        }
        assertThat(found).hasSizeGreaterThanOrEqualTo(20);
        assertThat(indexed).isEqualTo(found);
    }
}
