package io.kmemsim.engine.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.testkit.plugin.PluginJarBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The testkit's jar builder, as the plugin tests here rely on it. */
class PluginJarBuilderTest {

    @TempDir
    Path dir;

    @Test
    void build_writesManifestServicesAndClasses() throws IOException {
        Path jar = DemoPlugins.workloadPlugin("demo", "demo").version("2.0.1").requires(">=0.1.0").provider("me")
                .build(dir);

        assertThat(jar).isEqualTo(dir.resolve("demo-2.0.1.jar"));
        try (JarFile file = new JarFile(jar.toFile())) {
            Attributes main = file.getManifest().getMainAttributes();
            assertThat(main.getValue("Plugin-Id")).isEqualTo("demo");
            assertThat(main.getValue("Plugin-Version")).isEqualTo("2.0.1");
            assertThat(main.getValue("Plugin-Requires")).isEqualTo(">=0.1.0");
            assertThat(main.getValue("Plugin-Provider")).isEqualTo("me");
            assertThat(main.getValue("Plugin-Class")).isNull();
            assertThat(new String(file.getInputStream(file.getEntry("META-INF/services/" + WorkloadProvider.class.getName()))
                    .readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("demo.Provider\n");
            assertThat(file.getEntry("demo/Provider.class")).isNotNull();
            assertThat(file.getEntry("demo/Provider$Options.class")).isNotNull();
        }
    }

    @Test
    void build_reportsCompileErrorsWithTheirLine() {
        PluginJarBuilder broken = PluginJarBuilder.plugin("broken")
                .source("broken.Nope", "package broken;\npublic final class Nope { int x = \"text\"; }\n");

        assertThatThrownBy(() -> broken.build(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("plugin 'broken' does not compile")
                .hasMessageContaining("/broken/Nope.java:2");
    }
}
