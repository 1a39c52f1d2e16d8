package io.kmemsim.engine.twin.boot;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code vm.*} sysctls of a bundle ({@code sysctl_vm_all.txt}: {@code name = value} per line, the value as
 * {@code /proc/sys/vm/NAME} prints it), with the ones the boot twin needs read as numbers.
 *
 * @param values every name and its value text, in file order
 */
record Sysctls(Map<String, String> values) {

    Sysctls {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static Sysctls parse(String source, List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        List<InputProblem> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank()) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                problems.add(new InputProblem(source, i + 1, 0, "", "expected 'name = value': " + l.trim()));
                continue;
            }
            values.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        return new Sysctls(values);
    }

    /** A number-valued sysctl, or {@code fallback} when absent. */
    long number(String source, String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new InputException(new InputProblem(source, 0, 0, name, "must be a whole number: \"" + v + "\""));
        }
    }

    /** A list-valued sysctl ({@code lowmem_reserve_ratio}), or empty when absent. */
    List<Integer> numbers(String source, String name) {
        String v = values.get(name);
        List<Integer> out = new ArrayList<>();
        if (v == null || v.isBlank()) {
            return out;
        }
        for (String t : v.trim().split("\\s+")) {
            try {
                out.add(Integer.parseInt(t));
            } catch (NumberFormatException e) {
                throw new InputException(new InputProblem(source, 0, 0, name, "must be whole numbers separated by spaces: \"" + v + "\""));
            }
        }
        return out;
    }
}
