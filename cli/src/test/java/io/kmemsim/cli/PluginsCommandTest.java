package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.testkit.plugin.PluginJarBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginsCommandTest {

    @Test
    void list_showsBuiltInsWithTheirSource() {
        Cli r = Cli.run("plugins", "list");
        assertThat(r.status()).isZero();
        assertThat(r.out()).startsWith("KIND").contains("VERSION", "SOURCE");
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).matches("page-allocator\\s+buddy\\s+\\S+\\s+classpath"));
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).matches("platform\\s+rock5b-plus-8g\\s+\\S+\\s+classpath"));
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).matches("fallback\\s+linux\\s+\\S+\\s+classpath"));
    }

    @Test
    void list_showsPluginJarsWithTheirPath(@TempDir Path plugins) {
        Path jar = PluginJarBuilder.plugin("demo").version("2.3.4")
                .source("demo.DemoProvider", FailingPlugin.provider("demo-wl", "return null;"))
                .service(WorkloadProvider.class, "demo.DemoProvider")
                .build(plugins);
        Cli r = Cli.run("--plugins-dir", plugins.toString(), "plugins", "list");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().lines()).anySatisfy(l -> assertThat(l).startsWith("workload").contains("demo-wl", "2.3.4", jar.getFileName().toString()));
    }

    @Test
    void list_showsRefusedPluginsWithReasons(@TempDir Path plugins) {
        PluginJarBuilder.plugin("future").requires(">=99.0.0")
                .source("future.FutureProvider", FailingPlugin.provider("future-wl", "return null;"))
                .service(WorkloadProvider.class, "future.FutureProvider")
                .build(plugins);
        Cli r = Cli.run("--plugins-dir", plugins.toString(), "plugins", "list");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("refused plugins:", "future");
    }

    @Test
    void info_describesProviderAndOptions() {
        Cli r = Cli.run("plugins", "info", "buddy");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("kind         page-allocator", "description", "source       classpath", "options");
        Cli mix = Cli.run("plugins", "info", "mix");
        assertThat(mix.out()).contains("options (scenario keys workload.options.NAME):", "\n  events  long, default ");
    }

    @Test
    void info_ambiguousIdListsKinds() {
        Cli r = Cli.run("plugins", "info", "linux");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("fallback", "compaction", "--kind");
        Cli chosen = Cli.run("plugins", "info", "linux", "--kind", "compaction");
        assertThat(chosen.status()).as(chosen.err()).isZero();
        assertThat(chosen.out()).contains("kind         compaction");
    }

    @Test
    void info_unknownIdIsInputError() {
        Cli r = Cli.run("plugins", "info", "no-such-plugin");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("no provider 'no-such-plugin'", "buddy");
        assertThat(r.errHasStackTrace()).isFalse();
    }

    @Test
    void missingPluginsDir_isInputError(@TempDir Path tmp) {
        Cli r = Cli.run("--plugins-dir", tmp.resolve("absent").toString(), "plugins", "list");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("absent", "does not exist");
    }

    @Test
    void pluginsDir_addsToTheBuiltIns_andARelativeDirNamedLikeACommandWorks(@TempDir Path tmp) throws Exception {
        Path plugins = Files.createDirectories(tmp.resolve("plugins"));
        PluginJarBuilder.plugin("demo").version("2.3.4")
                .source("demo.DemoProvider", FailingPlugin.provider("demo-wl", "return null;"))
                .service(WorkloadProvider.class, "demo.DemoProvider")
                .build(plugins);
        String old = System.getProperty("user.dir");
        Cli absolute = Cli.run("--plugins-dir", plugins.toString(), "plugins", "list");
        assertThat(absolute.out()).contains("demo-wl").containsPattern("fallback\\s+linux");
        // picocli would read "plugins" as the subcommand; a relative path is resolved by Path against user.dir
        Cli relative = Cli.run("--plugins-dir", "plugins", "--plugins-dir", plugins.toString(), "plugins", "list");
        assertThat(relative.err()).doesNotContain("Unknown", "Missing required");
        assertThat(relative.err()).contains("plugins", "does not exist");
        assertThat(System.getProperty("user.dir")).isEqualTo(old);
    }

    @Test
    void noDefaultPlugins_loadsOnlyThePluginsDir(@TempDir Path plugins) {
        PluginJarBuilder.plugin("demo").version("2.3.4")
                .source("demo.DemoProvider", FailingPlugin.provider("demo-wl", "return null;"))
                .service(WorkloadProvider.class, "demo.DemoProvider")
                .build(plugins);
        Cli r = Cli.run("--no-default-plugins", "--plugins-dir", plugins.toString(), "plugins", "list");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("demo-wl").contains("plugin directories: " + plugins);
    }

    @Test
    void install_list_remove_roundTrip(@TempDir Path tmp) {
        Path user = tmp.resolve("user");
        String previous = System.getProperty(Main.USER_PLUGINS_DIR_PROPERTY);
        System.setProperty(Main.USER_PLUGINS_DIR_PROPERTY, user.toString());
        try {
            Path jar = PluginJarBuilder.plugin("demo").version("1.0.0")
                    .source("demo.DemoProvider", FailingPlugin.provider("demo-wl", "return null;"))
                    .service(WorkloadProvider.class, "demo.DemoProvider")
                    .build(Files.createDirectories(tmp.resolve("build")));
            Cli installed = Cli.run("plugins", "install", jar.toString());
            assertThat(installed.status()).as(installed.err()).isZero();
            assertThat(installed.out()).contains("installed demo 1.0.0", "workload demo-wl");
            assertThat(user.resolve(jar.getFileName())).exists();

            Cli listed = Cli.run("plugins", "list");
            assertThat(listed.out().lines()).anySatisfy(l -> assertThat(l).startsWith("workload").contains("demo-wl", "1.0.0", user.toString()));

            Path newer = PluginJarBuilder.plugin("demo").version("1.1.0")
                    .source("demo.DemoProvider", FailingPlugin.provider("demo-wl", "return null;"))
                    .service(WorkloadProvider.class, "demo.DemoProvider")
                    .build(Files.createDirectories(tmp.resolve("build2")));
            Cli again = Cli.run("plugins", "install", newer.getParent().toString());
            assertThat(again.status()).as(again.err()).isZero();
            assertThat(again.out()).contains("installed demo 1.1.0", "replaced");

            Cli removed = Cli.run("plugins", "remove", "demo-wl");
            assertThat(removed.status()).as(removed.err()).isZero();
            assertThat(Cli.run("plugins", "list").out()).doesNotContain("demo-wl");
            Cli builtIn = Cli.run("plugins", "remove", "linux");
            assertThat(builtIn.status()).isEqualTo(2);
            assertThat(builtIn.err()).contains("'linux' is not installed");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (previous == null) {
                System.clearProperty(Main.USER_PLUGINS_DIR_PROPERTY);
            } else {
                System.setProperty(Main.USER_PLUGINS_DIR_PROPERTY, previous);
            }
        }
    }

    @Test
    void install_refusesAPluginForANewerApi_andKeepsNothing(@TempDir Path tmp) throws Exception {
        Path user = tmp.resolve("user");
        String previous = System.getProperty(Main.USER_PLUGINS_DIR_PROPERTY);
        System.setProperty(Main.USER_PLUGINS_DIR_PROPERTY, user.toString());
        try {
            Path jar = PluginJarBuilder.plugin("future").requires(">=99.0.0")
                    .source("future.FutureProvider", FailingPlugin.provider("future-wl", "return null;"))
                    .service(WorkloadProvider.class, "future.FutureProvider")
                    .build(Files.createDirectories(tmp.resolve("build")));
            Cli r = Cli.run("plugins", "install", jar.toString());
            assertThat(r.status()).isEqualTo(2);
            assertThat(r.err()).contains("not installed", "requires kmemsim api >=99.0.0");
            assertThat(r.errHasStackTrace()).isFalse();
            assertThat(user.resolve(jar.getFileName())).doesNotExist();
            Cli notAJar = Cli.run("plugins", "install", tmp.resolve("nothing.jar").toString());
            assertThat(notAJar.status()).isEqualTo(2);
            assertThat(notAJar.err()).contains("nothing.jar", "no such file");
        } finally {
            if (previous == null) {
                System.clearProperty(Main.USER_PLUGINS_DIR_PROPERTY);
            } else {
                System.setProperty(Main.USER_PLUGINS_DIR_PROPERTY, previous);
            }
        }
    }
}
