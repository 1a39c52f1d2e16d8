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
}
