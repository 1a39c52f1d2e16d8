package io.kmemsim.cli;

import io.kmemsim.engine.plugin.PluginInstaller;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.results.Temporaries;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim}: the top command. It holds the global options and the list of subcommands; each
 * subcommand is its own class and reaches the global options through {@link #of(CommandSpec)}.
 *
 * <p>Exit status: 0 success, 1 the simulation (or another command's work) failed, 2 a usage or input
 * error (see {@link Failures}). A user mistake never prints a stack trace; {@code --verbose} adds the
 * trace of any failure.
 */
@Command(name = "kmemsim", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Simulate Linux-kernel memory allocation (buddy, SLAB/SLUB, policies) on a chosen board and kernel.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Exit status: 0 success, 1 the simulation failed, 2 usage or input error.",
                "Documentation: docs/cli.md, docs/scenarios.md, docs/plugins.md"})
public final class Main implements Callable<Integer> {

    /**
     * The subcommands, in the order {@code kmemsim --help} lists them. They are not in the
     * {@code @Command} annotation: picocli builds the model of every listed subcommand (reflection over
     * all their options) when the top command is created, about half of a command's start-up on this
     * machine; {@link #commandLine} adds only the ones a command line needs (docs/performance.md,
     * "Start-up").
     */
    static final List<Class<?>> COMMANDS = List.of(RunCommand.class, ReplayCommand.class, TwinCommand.class,
            CompareCommand.class, SweepCommand.class, ReportCommand.class, ExplainCommand.class, CaptureCommand.class,
            PluginsCommand.class, PlatformCommand.class, InspectCommand.class, TraceCommand.class, ScenarioCommand.class,
            KernelCommand.class, CommandLine.HelpCommand.class);

    /** The system property naming the default plugins directory (the launcher sets it). */
    public static final String PLUGINS_DIR_PROPERTY = "kmemsim.plugins.dir";

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print stack traces of failures")
    boolean verbose;

    /** The system property that overrides the user plugin directory (tests; else $KMEMSIM_PLUGINS, XDG). */
    public static final String USER_PLUGINS_DIR_PROPERTY = "kmemsim.user.plugins.dir";

    @Option(names = "--plugins-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "also load the plugin jars in DIR, after the built-in and installed plugins (repeatable)")
    List<Path> pluginsDirs = new ArrayList<>();

    @Option(names = "--no-default-plugins", scope = ScopeType.INHERIT,
            description = "load neither the built-in plugins nor those installed with 'plugins install': only --plugins-dir")
    boolean noDefaultPlugins;

    public static void main(String[] args) {
        // picocli otherwise looks for Groovy's Closure class on the whole class path at start
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
        PrintWriter out = new PrintWriter(System.out, true, Charset.defaultCharset());
        PrintWriter err = new PrintWriter(System.err, true, Charset.defaultCharset());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopCleanly(err), "kmemsim-shutdown"));
        System.exit(run(out, err, args));
    }

    /**
     * The shutdown hook (SIGINT, SIGTERM, or the normal exit): lets a results directory or trace being
     * renamed into place finish, then refuses every later write and deletes the temporaries, so each
     * output is as it was before the run or complete.
     */
    private static void stopCleanly(PrintWriter err) {
        List<Path> deleted = Temporaries.shutdown();
        if (!deleted.isEmpty()) {
            err.println("kmemsim: stopped; nothing half-written was left (" + deleted.size() + " temporary "
                    + (deleted.size() == 1 ? "output" : "outputs") + " removed)");
            err.flush();
        }
    }

    /** Runs {@code kmemsim args} writing to {@code out} and {@code err}; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        Main main = new Main();
        CommandLine cl = commandLine(main, args);
        cl.setOut(out);
        cl.setErr(err);
        // a relative option value that happens to be a command name (--plugins-dir plugins) is a value
        cl.setAllowSubcommandsAsOptionParameters(true);
        Failures failures = new Failures(() -> main.verbose);
        cl.setExecutionExceptionHandler(failures);
        cl.setParameterExceptionHandler(failures);
        cl.setExitCodeExceptionMapper(failures);
        try {
            return cl.execute(args);
        } catch (Error e) {
            return failures.report(e, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * The command line for {@code args}: the top command with the subcommands {@link #subcommandsFor} says
     * are needed, added before any setting so the settings reach them. Inherited options
     * ({@code --verbose}, {@code --plugins-dir}, {@code --no-default-plugins}) reach an added subcommand as
     * they reach a listed one.
     */
    static CommandLine commandLine(Main main, String... args) {
        CommandLine cl = new CommandLine(main);
        List<Class<?>> needed = subcommandsFor(args);
        for (Class<?> command : needed) {
            cl.addSubcommand(command);
        }
        return cl;
    }

    /**
     * The subcommands a command line needs: the one it names (its first argument that is not one of the
     * top command's options), none for {@code kmemsim --version}, and all of them whenever the choice is
     * not certain — help, usage, an unknown command or option (picocli's message lists or suggests
     * commands), an argument file ({@code @file}), {@code --}.
     */
    static List<Class<?>> subcommandsFor(String... args) {
        boolean version = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--verbose", "--no-default-plugins" -> { }
                case "-V", "--version" -> version = true;
                case "--plugins-dir" -> {
                    if (++i >= args.length) {
                        return COMMANDS;
                    }
                }
                default -> {
                    if (a.startsWith("--plugins-dir=")) {
                        continue;
                    }
                    if (a.startsWith("-") || a.startsWith("@")) {
                        return COMMANDS;
                    }
                    for (Class<?> command : COMMANDS) {
                        if (command != CommandLine.HelpCommand.class && names(command).contains(a)) {
                            return List.of(command);
                        }
                    }
                    return COMMANDS;
                }
            }
        }
        return version ? List.of() : COMMANDS;
    }

    /** A subcommand's name and aliases, from its annotation (no picocli model is built). */
    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(List.of(c.aliases()));
        names.add(c.name());
        return names;
    }

    /** The top command's object, from any subcommand's spec. */
    static Main of(CommandSpec anySpec) {
        return (Main) anySpec.root().userObject();
    }

    /** The built-in plugins directory: the system property the launcher sets, or null. */
    static Path builtInPluginsDir() {
        String property = System.getProperty(PLUGINS_DIR_PROPERTY);
        return property == null || property.isBlank() ? null : Path.of(property);
    }

    /** The user plugin directory ({@code plugins install} writes it): property, $KMEMSIM_PLUGINS, XDG data dir. */
    static Path userPluginsDir() {
        String property = System.getProperty(USER_PLUGINS_DIR_PROPERTY);
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        return PluginInstaller.userDirectory(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The directories a command loads, in order: the built-in plugins, the user's installed plugins (when
     * the directory exists), then every {@code --plugins-dir}; with {@code --no-default-plugins} only the
     * last.
     */
    List<Path> pluginsDirs() {
        List<Path> dirs = new ArrayList<>();
        if (!noDefaultPlugins) {
            Path builtIn = builtInPluginsDir();
            if (builtIn != null) {
                dirs.add(builtIn);
            }
            Path user = userPluginsDir();
            if (Files.isDirectory(user)) {
                dirs.add(user);
            }
        }
        dirs.addAll(pluginsDirs);
        return dirs;
    }

    /** The providers on the classpath plus the plugins of {@link #pluginsDirs()}. */
    PluginRegistry openRegistry() {
        ClassLoader loader = Main.class.getClassLoader();
        List<Path> dirs = pluginsDirs();
        return dirs.isEmpty() ? PluginRegistry.fromClasspath(loader) : PluginRegistry.load(loader, dirs);
    }

    /** {@code kmemsim} without a command: the usage, as a usage error. */
    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        err.println("kmemsim: a command is required");
        spec.commandLine().usage(err);
        return Failures.USAGE;
    }
}
