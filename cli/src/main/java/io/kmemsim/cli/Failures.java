package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.plugin.PluginFailureException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
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
 *   <li>a plugin failure ({@link PluginFailureException}, naming the plugin and what it was doing), an
 *       output that cannot be written ({@link OutputException}), {@link OutOfMemoryError} (with how to
 *       raise the heap) or any other failure while working (marked internal): one line; status
 *       {@value #FAILED}.</li>
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
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        // picocli's nearest-name guess can miss (it offers "kernel" for "rn"): list the commands too
        if (e instanceof CommandLine.UnmatchedArgumentException && !cl.getSubcommands().isEmpty()) {
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
        } else if (e instanceof PluginFailureException || e instanceof OutputException) {
            err.println("kmemsim: " + e.getMessage());
            status = FAILED;
        } else if (e instanceof OutOfMemoryError) {
            err.println("kmemsim: " + outOfMemory());
            status = FAILED;
        } else if (e instanceof UncheckedIOException || e instanceof IOException) {
            Throwable cause = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
            err.println("kmemsim: " + (e.getMessage() == null ? "input/output error" : e.getMessage())
                    + (cause != e && cause.getMessage() != null && !String.valueOf(e.getMessage()).contains(cause.getMessage())
                    ? ": " + cause.getMessage() : ""));
            status = FAILED;
        } else {
            String message = e.getMessage();
            err.println("kmemsim: internal error (" + e.getClass().getSimpleName() + ")" + (message == null ? "" : ": " + message));
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

    /** The one line printed for an {@link OutOfMemoryError}: the heap in use and how to raise it. */
    static String outOfMemory() {
        long maxMiB = Runtime.getRuntime().maxMemory() >> 20;
        long suggestGiB = Math.max(1, 2 * ((maxMiB + 1023) >> 10));
        return "out of memory: the Java heap (" + maxMiB + " MiB) is too small for this run; raise it with"
                + " KMEMSIM_HEAP (e.g. KMEMSIM_HEAP=" + suggestGiB + "g ./kmemsim ...) or JAVA_OPTS=-Xmx" + suggestGiB + "g";
    }

    @Override
    public int getExitCode(Throwable exception) {
        return exception instanceof InputException ? USAGE : FAILED;
    }
}
