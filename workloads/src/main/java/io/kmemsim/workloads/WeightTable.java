package io.kmemsim.workloads;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;
import java.util.function.ToIntFunction;

/**
 * A discrete distribution over int keys parsed from {@code "key:weight,key:weight,…"} (weights are
 * non-negative decimals, not necessarily summing to 1; at least one is positive; a key appears once).
 * Sampling is a linear scan of the cumulative weights: the tables here have a few dozen entries.
 */
final class WeightTable {

    private final int[] keys;
    private final double[] cumulative;

    private WeightTable(int[] keys, double[] cumulative) {
        this.keys = keys;
        this.cumulative = cumulative;
    }

    /**
     * Parses {@code text}.
     *
     * @param where     message prefix, e.g. {@code "churn option "}
     * @param option    the option's kebab-case name
     * @param keyParser maps a key to an int; throws {@link IllegalArgumentException} with a message
     *                  saying what a key must be
     * @throws IllegalArgumentException naming the option, the bad part and the whole value
     */
    static WeightTable parse(String where, String option, String text, ToIntFunction<String> keyParser) {
        Checks.given(where, option, text);
        String[] parts = text.split(",", -1);
        int[] keys = new int[parts.length];
        double[] cumulative = new double[parts.length];
        double sum = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            int colon = part.indexOf(':');
            if (colon <= 0 || colon == part.length() - 1) {
                throw bad(where, option, text, "each entry must be key:weight, got \"" + part + "\"");
            }
            try {
                keys[i] = keyParser.applyAsInt(part.substring(0, colon).trim());
            } catch (IllegalArgumentException e) {
                throw bad(where, option, text, e.getMessage());
            }
            double w = parseWeight(where, option, text, part.substring(colon + 1).trim());
            for (int j = 0; j < i; j++) {
                if (keys[j] == keys[i]) {
                    throw bad(where, option, text, "key " + part.substring(0, colon).trim() + " appears twice");
                }
            }
            sum += w;
            cumulative[i] = sum;
        }
        if (!(sum > 0)) {
            throw bad(where, option, text, "at least one weight must be > 0");
        }
        return new WeightTable(keys, cumulative);
    }

    private static double parseWeight(String where, String option, String text, String w) {
        double value;
        try {
            value = Double.parseDouble(w);
        } catch (NumberFormatException e) {
            throw bad(where, option, text, "weight must be a number: " + w);
        }
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw bad(where, option, text, "weight must be finite and >= 0: " + w);
        }
        return value;
    }

    private static IllegalArgumentException bad(String where, String option, String text, String why) {
        return new IllegalArgumentException(where + option + ": " + why + " in \"" + text + "\"");
    }

    /** A table from parallel arrays (weights >= 0, at least one > 0). */
    static WeightTable of(int[] keys, double[] weights) {
        double[] cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        return new WeightTable(keys.clone(), cumulative);
    }

    /** Draws a key. */
    int sample(SplittableRandom random) {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (u < cumulative[i]) {
                return keys[i];
            }
        }
        return keys[keys.length - 1];
    }

    /** The probability of {@code key} (0 when absent). */
    double probability(int key) {
        double prev = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == key) {
                return (cumulative[i] - prev) / cumulative[cumulative.length - 1];
            }
            prev = cumulative[i];
        }
        return 0;
    }

    /** The expected value of {@code f(key)}. */
    double mean(IntToDoubleFunction f) {
        double prev = 0;
        double acc = 0;
        for (int i = 0; i < keys.length; i++) {
            acc += (cumulative[i] - prev) * f.applyAsDouble(keys[i]);
            prev = cumulative[i];
        }
        return acc / cumulative[cumulative.length - 1];
    }

    @Override
    public String toString() {
        return "WeightTable" + Arrays.toString(keys);
    }
}
