package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginFailureException;
import java.io.PrintWriter;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into a message on stderr and an exit status, without a stack trace unless
 * {@code --verbose}:
 * <ul>
 *   <li>a command-line mistake (picocli's {@link ParameterException}): the message, a suggestion, a
 *       pointer to {@code --help}; status {@value #USAGE};</li>
 *   <li>bad input ({@link InputException}): each problem on its own line; status {@value #USAGE};</li>
 *   <li>a plugin failure ({@link PluginFailureException}, naming the plugin and what it was doing)
 *       or any other failure while working: one line; status {@value #FAILED}.</li>
 * </ul>
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler, IExitCodeExceptionMapper {

    /** The command did its work. */
    static final int OK = 0;
    /** The simulation (or another command's work) failed. */
    static final int FAILED = 1;
    /** Usage or input error. */
    static final int USAGE = 2;

    private final BooleanSupplier verbose;

    Failures(BooleanSupplier verbose) {
        this.verbose = verbose;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("kmemsim: " + e.getMessage());
        if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)
                && e instanceof CommandLine.UnmatchedArgumentException && !cl.getSubcommands().isEmpty()) {
            err.println("Commands: " + String.join(", ", cl.getSubcommands().keySet()));
        }
        err.println("Run '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        if (verbose.getAsBoolean() || containsVerbose(args)) {
            e.printStackTrace(err);
        }
        return USAGE;
    }

    private static boolean containsVerbose(String[] args) {
        for (String a : args) {
            if (a.equals("--verbose")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, ParseResult parseResult) {
        return report(e, cl.getErr());
    }

    /** Prints {@code e} as the class comment says and returns the exit status. */
    int report(Throwable e, PrintWriter err) {
        int status;
        if (e instanceof InputException input) {
            for (InputProblem p : input.problems()) {
                err.println(p);
            }
            status = USAGE;
        } else if (e instanceof PluginFailureException plugin) {
            err.println("kmemsim: " + plugin.getMessage());
            status = FAILED;
        } else {
            String message = e.getMessage();
            err.println("kmemsim: " + (message == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + message));
            status = FAILED;
        }
        if (verbose.getAsBoolean()) {
            e.printStackTrace(err);
        } else if (status == FAILED) {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return status;
    }

    @Override
    public int getExitCode(Throwable exception) {
        return exception instanceof InputException ? USAGE : FAILED;
    }
}
