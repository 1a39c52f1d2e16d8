package io.kmemsim.engine.scenario;

import java.util.Objects;

/**
 * Where a scenario value was written.
 *
 * @param source the file or resource name, or {@code --set} for a command-line override
 * @param line   1-based line, or 0 when not known (overrides)
 * @param column 1-based column, or 0 when not known
 */
public record Origin(String source, int line, int column) {

    public Origin {
        Objects.requireNonNull(source, "source");
    }

    /** The origin of values given with {@code --set}. */
    public static final Origin OVERRIDE = new Origin(ScenarioLoader.OVERRIDE_SOURCE, 0, 0);

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
