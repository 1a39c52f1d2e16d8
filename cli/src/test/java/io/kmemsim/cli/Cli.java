package io.kmemsim.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@link Main#run} in memory and keeps the status and both outputs. A {@code run} or {@code replay}
 * that names no results directory writes its results to a fresh temporary directory, never into the
 * module.
 */
record Cli(int status, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), withResultsDir(args));
        return new Cli(status, out.toString(), err.toString());
    }

    private static String[] withResultsDir(String[] args) {
        List<String> list = new ArrayList<>(List.of(args));
        boolean runs = list.contains("run") || list.contains("replay");
        boolean named = list.contains("-o") || list.contains("--out") || list.contains("--no-results");
        if (runs && !named) {
            try {
                list.add("--out");
                list.add(Files.createTempDirectory("kmemsim-results-").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return list.toArray(String[]::new);
    }

    /** True when stderr holds a Java stack trace. */
    boolean errHasStackTrace() {
        return err.contains("\tat ");
    }
}
