package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.OptionInfo;
import io.kmemsim.engine.plugin.OptionsDescriber;
import io.kmemsim.engine.plugin.PluginInstaller;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.ProviderEntry;
import io.kmemsim.engine.plugin.RefusedPlugin;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kmemsim plugins}: what plugins are installed, and what one of them offers. */
@Command(name = "plugins", description = "List the installed plugins, describe one, install or remove one.", mixinStandardHelpOptions = true,
        subcommands = {PluginsCommand.ListPlugins.class, PluginsCommand.Info.class, PluginsCommand.Install.class, PluginsCommand.Remove.class})
final class PluginsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** {@code kmemsim plugins} alone lists them. */
    @Override
    public Integer call() {
        return ListPlugins.list(spec);
    }

    /** {@code kmemsim plugins list}. */
    @Command(name = "list", description = "List every provider: kind, id, version and where it came from; then refused plugin jars.",
            mixinStandardHelpOptions = true)
    static final class ListPlugins implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return list(spec);
        }

        static Integer list(CommandSpec spec) {
            PrintWriter out = spec.commandLine().getOut();
            try (PluginRegistry registry = Main.of(spec).openRegistry()) {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"KIND", "ID", "VERSION", "SOURCE"});
                for (ProviderEntry e : registry.providers()) {
                    rows.add(new String[] {e.kind().label(), e.id(), e.version(), e.source()});
                }
                Table.print(out, rows);
                out.println();
                Main main = Main.of(spec);
                out.println("plugin directories: " + (main.pluginsDirs().isEmpty() ? "none (classpath only)"
                        : main.pluginsDirs().stream().map(Path::toString).collect(Collectors.joining(", "))));
                if (!main.noDefaultPlugins) {
                    out.println("user plugin directory (plugins install): " + Main.userPluginsDir());
                }
                if (!registry.refused().isEmpty()) {
                    out.println();
                    out.println("refused plugins:");
                    for (RefusedPlugin r : registry.refused()) {
                        out.println("  " + r.pluginId() + " (" + r.source() + "): " + r.reason());
                    }
                }
            }
            return Failures.OK;
        }
    }

    /** {@code kmemsim plugins info ID}. */
    @Command(name = "info", description = "Describe a provider: kind, description, version, source and its options.",
            mixinStandardHelpOptions = true)
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "the provider id, e.g. buddy, linux, rock5b-plus-8g")
        String id;

        @Option(names = "--kind", paramLabel = "KIND",
                description = "the kind, when the id names providers of several kinds: platform, fallback, compaction, arch, page-allocator, object-cache, workload")
        String kind;

        @Override
        public Integer call() {
            if (kind != null && !kindLabels().contains(kind.toLowerCase(Locale.ROOT))) {
                throw new InputException(new InputProblem("plugins info", 0, 0, "--kind",
                        "kind must be one of " + String.join(", ", kindLabels()) + ": " + kind));
            }
            try (PluginRegistry registry = Main.of(spec).openRegistry()) {
                List<ProviderEntry> matches = registry.providers().stream()
                        .filter(e -> e.id().equals(id) && (kind == null || e.kind().label().equals(kind.toLowerCase(Locale.ROOT))))
                        .collect(Collectors.toList());
                if (matches.isEmpty()) {
                    throw new InputException(new InputProblem("plugins info", 0, 0, "", noSuchProvider(registry)));
                }
                if (matches.size() > 1) {
                    throw new InputException(new InputProblem("plugins info", 0, 0, "", "'" + id + "' names providers of several kinds: "
                            + matches.stream().map(e -> e.kind().label()).collect(Collectors.joining(", "))
                            + "; choose one with --kind"));
                }
                describe(spec.commandLine().getOut(), matches.get(0));
            }
            return Failures.OK;
        }

        private String noSuchProvider(PluginRegistry registry) {
            String known = registry.providers().stream().map(ProviderEntry::id).distinct().sorted().collect(Collectors.joining(", "));
            String of = kind == null ? "" : " of kind '" + kind + "'";
            return "no provider '" + id + "'" + of + "; installed: " + known;
        }

        private static void describe(PrintWriter out, ProviderEntry e) {
            out.println("id           " + e.id());
            out.println("kind         " + e.kind().label());
            out.println("description  " + e.provider().description());
            out.println("version      " + e.version());
            out.println("source       " + e.source() + (e.pluginId().isEmpty() ? "" : " (plugin " + e.pluginId() + ")"));
            List<OptionInfo> options = OptionsDescriber.describe(e);
            out.println();
            if (options.isEmpty()) {
                out.println("options      none");
                return;
            }
            out.println("options (scenario keys " + e.kind().label() + ".options.NAME):");
            for (OptionInfo o : options) {
                String line = "  " + o.name() + "  " + o.type();
                if (!o.constraint().isEmpty()) {
                    line += ", " + o.constraint();
                }
                if (o.required()) {
                    line += ", required";
                } else if (!o.defaultValue().isEmpty()) {
                    line += ", default " + o.defaultValue();
                }
                out.println(line);
                if (!o.doc().isEmpty()) {
                    out.println("      " + o.doc());
                }
            }
        }
    }

    /** {@code kmemsim plugins install JAR|DIR}. */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Install a plugin jar, or every plugin jar directly in a directory, into the user plugin directory",
                "($KMEMSIM_PLUGINS, else $XDG_DATA_HOME/kmemsim/plugins, else ~/.local/share/kmemsim/plugins).",
                "A jar with the same plugin id is replaced. The plugin is loaded once to check it; a refused one is not kept."})
    static final class Install implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "JAR|DIR", description = "a plugin jar, or a directory holding plugin jars (e.g. target/)")
        Path source;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PluginInstaller installer = installer(spec);
            for (PluginInstaller.Installed i : installer.install(source)) {
                out.println("installed " + i.pluginId() + " " + i.version() + " -> " + i.path()
                        + i.replaced().map(r -> " (replaced " + r.getFileName() + ")").orElse(""));
                for (String p : i.providers()) {
                    out.println("  " + p);
                }
            }
            return Failures.OK;
        }
    }

    /** {@code kmemsim plugins remove ID}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a plugin installed with 'plugins install', by its plugin id or the id of a provider it brings.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "the plugin id (kmemsim plugins list, SOURCE column) or a provider id")
        String id;

        @Override
        public Integer call() {
            Path removed = installer(spec).remove(id);
            spec.commandLine().getOut().println("removed " + removed);
            return Failures.OK;
        }
    }

    private static PluginInstaller installer(CommandSpec spec) {
        Main main = Main.of(spec);
        List<Path> others = new ArrayList<>();
        Path builtIn = Main.builtInPluginsDir();
        if (builtIn != null) {
            others.add(builtIn);
        }
        others.addAll(main.pluginsDirs);
        return new PluginInstaller(Main.userPluginsDir(), others, Main.class.getClassLoader());
    }

    /** Kinds users can name with {@code --kind}. */
    static List<String> kindLabels() {
        List<String> labels = new ArrayList<>();
        for (PluginKind k : PluginKind.values()) {
            labels.add(k.label());
        }
        return labels;
    }
}
