package io.kmemsim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@link Main#run} in memory and keeps the status and both outputs. */
record Cli(int status, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Cli(status, out.toString(), err.toString());
    }

    /** True when stderr holds a Java stack trace. */
    boolean errHasStackTrace() {
        return err.contains("\tat ");
    }
}
