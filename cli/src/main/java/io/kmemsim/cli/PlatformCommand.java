package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginRegistry;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim platform}: the platform presets ({@code list}) and the kernel's boot lines for one of
 * them ({@code show}). Without a subcommand it lists.
 *
 * <p>Errors (unknown platform, firmware, granule, kernel or option) print the message, which lists the
 * valid values, on stderr and exit with status 2, also when the command runs outside {@link Main}.
 */
@Command(name = "platform", description = "List the platform presets, or print a preset's kernel boot lines.",
        mixinStandardHelpOptions = true, subcommands = {PlatformListCommand.class, PlatformShowCommand.class})
public final class PlatformCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return PlatformListCommand.list(spec);
    }

    /** The registry: {@link Main}'s (with its plugins directory) when run under it, else the classpath's. */
    static PluginRegistry openRegistry(CommandSpec spec) {
        if (spec.root().userObject() instanceof Main) {
            return Main.of(spec).openRegistry();
        }
        return PluginRegistry.fromClasspath(PlatformCommand.class.getClassLoader());
    }

    /** Prints a usage error the way {@link Failures} does and returns status 2. */
    static int usageError(CommandSpec spec, InputException e) {
        PrintWriter err = spec.commandLine().getErr();
        for (InputProblem p : e.problems()) {
            err.println(p);
        }
        err.flush();
        return Failures.USAGE;
    }
}
