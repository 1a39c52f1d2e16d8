package io.kmemsim.engine.procfs;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code /proc/vmstat} (mm/vmstat.c: vmstat_show(), every kernel since 2.6): one {@code name value} per line,
 * into the counters in file order. Rejected with an {@link InputException} naming file, line and counter: a line of
 * any other shape or a value that is not a whole number.
 */
public final class VmstatParser {

    private VmstatParser() {
    }

    /** The counters of {@code reader}; {@code source} names the file in errors. */
    public static Map<String, Long> parse(BufferedReader reader, String source) {
        Map<String, Long> m = new LinkedHashMap<>();
        try {
            int line = 0;
            for (String s; (s = reader.readLine()) != null; ) {
                line++;
                String t = s.trim();
                if (t.isEmpty()) {
                    continue;
                }
                String[] p = t.split("\\s+");
                if (p.length != 2 || !p[1].matches("-?\\d{1,19}")) {
                    throw new InputException(new InputProblem(source, line, 1, p[0],
                            "expected a counter name and a whole number, as /proc/vmstat prints them: " + t));
                }
                m.put(p[0], Long.parseLong(p[1]));
            }
        } catch (IOException e) {
            throw new InputException(new InputProblem(source, 0, 0, "", "cannot read: " + e.getMessage()));
        }
        return m;
    }
}
