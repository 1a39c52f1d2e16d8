package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.testkit.plugin.PluginJarBuilder;
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
}
