package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim capture [--print | -o FILE]}: hands out the {@code kmemsim-capture} shell script, which a
 * user copies to the machine to record (docs/capture.md) and runs there as root. The script itself is the
 * distribution's {@code bin/kmemsim-capture}; the jar carries the same bytes, so the command works from
 * any installation.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = {"Hand out kmemsim-capture, the POSIX sh script that records a real machine's page allocator "
                + "(/proc snapshots and a kmem trace) into a bundle for 'kmemsim twin'. Copy it to the machine and run it "
                + "there as root, e.g.: sudo sh kmemsim-capture -o bundle -c -- COMMAND ARGS...",
                "Without an option: print where the script is and how to use it."},
        footer = {"", "Documentation: docs/capture.md"})
public final class CaptureCommand implements Callable<Integer> {

    /** The script's classpath resource; the build copies cli/src/main/dist/kmemsim-capture there. */
    static final String RESOURCE = "/io/kmemsim/cli/kmemsim-capture";
    /** The script's name in the distribution's bin directory. */
    static final String SCRIPT_NAME = "kmemsim-capture";

    @Spec
    CommandSpec spec;

    static final class Target {
        @Option(names = "--print", description = "write the script to standard output")
        boolean print;

        @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "write the script to FILE (executable; FILE must not exist)")
        Path out;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Target target;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (target != null && target.print) {
            out.print(new String(script(), StandardCharsets.UTF_8));
            out.flush();
            return Failures.OK;
        }
        if (target != null && target.out != null) {
            write(target.out);
            out.println("wrote " + target.out + "; copy it to the machine and run it there as root: sh " + SCRIPT_NAME + " -h");
            out.flush();
            return Failures.OK;
        }
        Path installed = installedCopy();
        out.println(installed != null ? "kmemsim-capture: " + installed
                : "kmemsim-capture is inside this kmemsim; write it out with: kmemsim capture -o kmemsim-capture");
        out.println("Copy it to the machine to record (scp), then run it there as root, for example:");
        out.println("  sudo sh kmemsim-capture -o bundle -c -- COMMAND ARGS...   # trace while COMMAND runs");
        out.println("  sudo sh kmemsim-capture -o bundle -d 60 -K                # trace 60 s, dump /proc/kpageflags");
        out.println("and copy the bundle directory back for: kmemsim twin bundle");
        out.println("What it changes on the machine, how long it takes and its exit codes: docs/capture.md");
        out.flush();
        return Failures.OK;
    }

    /** The script's bytes, as shipped. */
    static byte[] script() {
        try (InputStream in = CaptureCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the kmemsim-capture script is missing from this build (" + RESOURCE + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the script to a new file {@code file}, executable where the file system has POSIX modes. */
    private static void write(Path file) {
        byte[] bytes = script();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw problem(file, "its directory " + parent + " does not exist");
            }
            Files.write(file, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw problem(file, "it exists already; remove it or name another file (nothing was written)");
        } catch (IOException e) {
            throw problem(file, "cannot write it: " + e.getMessage());
        }
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: the user runs it with 'sh kmemsim-capture'
        }
    }

    private static InputException problem(Path file, String message) {
        return new InputException(new InputProblem(file.toString(), 0, 0, "-o", message));
    }

    /** The distribution's copy (bin/ next to the plugins directory the launcher names), if present. */
    private static Path installedCopy() {
        String plugins = System.getProperty(Main.PLUGINS_DIR_PROPERTY);
        if (plugins == null || plugins.isBlank()) {
            return null;
        }
        Path parent = Path.of(plugins).toAbsolutePath().normalize().getParent();
        Path bin = parent == null ? null : parent.resolve("bin").resolve(SCRIPT_NAME);
        return bin != null && Files.isRegularFile(bin) ? bin : null;
    }
}
