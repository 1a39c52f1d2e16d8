package io.kmemsim.engine.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number read from one run's {@code results.json}: a built-in measure (the anti-fragmentation measures of
 * {@code compare}) or a path into the document.
 *
 * <p>Paths are dotted keys with list selectors, e.g. {@code counters.page-allocator.pgfree} or
 * {@code allocationsByOrder[order=9].failure}. A path under {@code counters.} that the run did not report reads
 * 0 (a component reports only the counters it keeps); any other missing path is a problem of the spec, found
 * when the first run's results are read.
 *
 * @param name       the CSV column
 * @param expression a built-in name (see {@link #BUILT_INS}), {@code success-rate(N)}, {@code successes(N)},
 *                   {@code failures(N)}, or a path
 */
public record Metric(String name, String expression) implements java.io.Serializable {

    /** The built-in measures, in the order {@link #defaults()} lists them. */
    public static final List<String> BUILT_INS = List.of("success-rate", "successes", "failures", "mixed-share",
            "unmovable-share", "fallbacks", "compact-stall", "pages-migrated", "free-pages", "pages-failed",
            "events");

    private static final Pattern ORDER_FORM = Pattern.compile("(success-rate|successes|failures)\\((\\d{1,2})\\)");
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_.-]+(\\[[A-Za-z0-9_]+=[A-Za-z0-9_.-]+\\])?"
            + "(\\.[A-Za-z0-9_.-]+(\\[[A-Za-z0-9_]+=[A-Za-z0-9_.-]+\\])?)*");

    public Metric {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expression, "expression");
    }

    /** The measures a spec without {@code metrics} reports. */
    public static List<Metric> defaults() {
        return List.of(of("success-rate"), of("successes"), of("failures"), of("mixed-share"), of("unmovable-share"),
                of("fallbacks"), of("compact-stall"), of("pages-migrated"), of("free-pages"));
    }

    /** The metric named by its own expression. */
    public static Metric of(String expression) {
        return new Metric(expression, expression);
    }

    /** Why {@code expression} cannot be a metric, or null when it can. */
    public static String check(String expression) {
        if (BUILT_INS.contains(expression) || ORDER_FORM.matcher(expression).matches() || PATH.matcher(expression).matches()) {
            return null;
        }
        return "not a metric: '" + expression + "' (a built-in " + BUILT_INS + ", success-rate(N), successes(N), "
                + "failures(N), or a results.json path such as counters.page-allocator.pgfree)";
    }

    /**
     * The value in {@code results} (a parsed results.json).
     *
     * @param order the order of the order measures, or −1 for the run's pageblock order
     * @return the value, NaN when it is undefined (a rate with nothing attempted)
     * @throws IllegalArgumentException when the path does not exist in the document
     */
    public double evaluate(JsonNode results, int order) {
        Matcher m = ORDER_FORM.matcher(expression);
        if (m.matches()) {
            return orderMeasure(results, m.group(1), Integer.parseInt(m.group(2)));
        }
        int o = order >= 0 ? order : results.path("memory").path("pageblockOrder").asInt(-1);
        return switch (expression) {
            case "success-rate", "successes", "failures" -> orderMeasure(results, expression, o);
            case "mixed-share" -> share(results, "mixed");
            case "unmovable-share" -> share(results, "withUnmovable");
            case "fallbacks" -> counter(results, "kmemsim_extfrag_events");
            case "compact-stall" -> counter(results, "compact_stall");
            case "pages-migrated" -> counter(results, "pgmigrate_success");
            case "free-pages" -> counter(results, "nr_free_pages");
            case "pages-failed" -> path(results, "pages.failed");
            case "events" -> path(results, "run.events");
            default -> path(results, expression);
        };
    }

    private static double orderMeasure(JsonNode results, String which, int order) {
        long success = 0;
        long failure = 0;
        for (JsonNode row : results.path("allocationsByOrder")) {
            if (row.path("order").asInt(-1) == order) {
                success = row.path("success").asLong();
                failure = row.path("failure").asLong();
            }
        }
        return switch (which) {
            case "successes" -> success;
            case "failures" -> failure;
            default -> success + failure == 0 ? Double.NaN : (double) success / (success + failure);
        };
    }

    private static double share(JsonNode results, String field) {
        JsonNode total = results.path("pageblockOccupancy").path("total");
        long blocks = total.path("pageblocks").asLong();
        return !total.path("tracked").asBoolean(false) || blocks <= 0 ? Double.NaN : (double) total.path(field).asLong() / blocks;
    }

    private static double counter(JsonNode results, String name) {
        return results.path("counters").path("page-allocator").path(name).asDouble(0);
    }

    private static double path(JsonNode results, String path) {
        JsonNode node = results;
        List<String> parts = splitPath(path);
        for (int p = 0; p < parts.size(); p++) {
            String part = parts.get(p);
            // a key may itself hold dots (counter names such as arm64.cycles): take the longest that exists
            for (int q = parts.size(); q > p + 1; q--) {
                String joined = String.join(".", parts.subList(p, q));
                if (joined.indexOf('[') < 0 && node.has(joined)) {
                    part = joined;
                    p = q - 1;
                    break;
                }
            }
            int bracket = part.indexOf('[');
            String key = bracket < 0 ? part : part.substring(0, bracket);
            node = node.path(key);
            if (bracket >= 0) {
                String selector = part.substring(bracket + 1, part.length() - 1);
                int eq = selector.indexOf('=');
                String field = selector.substring(0, eq);
                String value = selector.substring(eq + 1);
                JsonNode found = null;
                for (JsonNode item : node) {
                    if (item.path(field).asText().equals(value)) {
                        found = item;
                        break;
                    }
                }
                node = found == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : found;
            }
        }
        if (node.isMissingNode() || node.isNull()) {
            if (path.startsWith("counters.")) {
                return 0;
            }
            throw new IllegalArgumentException("results.json has no " + path);
        }
        if (node.isBoolean()) {
            return node.asBoolean() ? 1 : 0;
        }
        if (!node.isNumber()) {
            throw new IllegalArgumentException("results.json's " + path + " is not a number: " + node.toString());
        }
        return node.asDouble();
    }

    /** Splits at dots outside brackets, keeping component ids such as {@code page-allocator} whole. */
    private static List<String> splitPath(String path) {
        List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '.' && depth == 0) {
                parts.add(path.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(path.substring(start));
        return parts;
    }

    @Override
    public String toString() {
        return name.equals(expression) ? name : String.format(Locale.ROOT, "%s=%s", name, expression);
    }
}
