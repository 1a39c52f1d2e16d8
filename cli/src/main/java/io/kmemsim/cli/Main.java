package io.kmemsim.cli;

import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.results.Temporaries;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
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
        subcommands = {RunCommand.class, ReplayCommand.class, CompareCommand.class, PluginsCommand.class, PlatformCommand.class, InspectCommand.class, TraceCommand.class,
            CommandLine.HelpCommand.class},
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Exit status: 0 success, 1 the simulation failed, 2 usage or input error.",
                "Documentation: docs/cli.md, docs/scenarios.md, docs/plugins.md"})
public final class Main implements Callable<Integer> {

    /** The system property naming the default plugins directory (the launcher sets it). */
    public static final String PLUGINS_DIR_PROPERTY = "kmemsim.plugins.dir";

    @Spec
    CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print stack traces of failures")
    boolean verbose;

    @Option(names = "--plugins-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "load plugin jars from DIR (default: system property " + PLUGINS_DIR_PROPERTY + ", else none)")
    Path pluginsDir;

    public static void main(String[] args) {
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
        CommandLine cl = new CommandLine(main);
        cl.setOut(out);
        cl.setErr(err);
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

    /** The top command's object, from any subcommand's spec. */
    static Main of(CommandSpec anySpec) {
        return (Main) anySpec.root().userObject();
    }

    /** The plugins directory: {@code --plugins-dir}, else the system property, else none. */
    Path pluginsDir() {
        if (pluginsDir != null) {
            return pluginsDir;
        }
        String property = System.getProperty(PLUGINS_DIR_PROPERTY);
        return property == null || property.isBlank() ? null : Path.of(property);
    }

    /** The providers on the classpath plus, when a plugins directory is set, its plugins. */
    PluginRegistry openRegistry() {
        ClassLoader loader = Main.class.getClassLoader();
        Path dir = pluginsDir();
        return dir == null ? PluginRegistry.fromClasspath(loader) : PluginRegistry.load(loader, dir);
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
