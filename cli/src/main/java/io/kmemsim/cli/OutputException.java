package io.kmemsim.cli;

/**
 * An output could not be written (a results directory, a trace): the message names the file and the
 * reason; exit status {@value Failures#FAILED}. What was there before is unchanged.
 */
final class OutputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OutputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code what} (e.g. "cannot write the trace t.trace") and the reason of {@code e}, in words. */
    static OutputException of(String what, Exception e) {
        Throwable t = e instanceof java.io.UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        String reason;
        if (t instanceof java.nio.file.NoSuchFileException n) {
            reason = "no such file or directory: " + n.getFile();
        } else if (t instanceof java.nio.file.AccessDeniedException a) {
            reason = "permission denied: " + a.getFile();
        } else if (t instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            reason = f.getReason() + ": " + f.getFile();
        } else {
            reason = t.getMessage() == null ? "input/output error" : t.getMessage();
        }
        return new OutputException(what + ": " + reason, e);
    }
}
