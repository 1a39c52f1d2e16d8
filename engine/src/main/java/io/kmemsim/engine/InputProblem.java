package io.kmemsim.engine;

import java.util.Objects;

/**
 * One thing wrong with user input (a scenario, a trace, a {@code /proc} snapshot, a command-line
 * value): where it is and which rule it breaks.
 *
 * @param source the file name (or {@code --set}, or an option name); never null
 * @param line   1-based line, or 0 when not known
 * @param column 1-based column, or 0 when not known
 * @param key    the key, field or option concerned (e.g. {@code workload.options.events}), or "" when none
 * @param message the rule broken and the bad value
 */
public record InputProblem(String source, int line, int column, String key, String message) {

    public InputProblem {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line:column: key: message}, leaving out the parts that are not known. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) {
            sb.append(':').append(line);
            if (column > 0) {
                sb.append(':').append(column);
            }
        }
        sb.append(": ");
        if (!key.isEmpty()) {
            sb.append(key).append(": ");
        }
        return sb.append(message).toString();
    }
}
