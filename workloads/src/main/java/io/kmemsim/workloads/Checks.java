package io.kmemsim.workloads;

/**
 * Range checks of option values. {@code where} is the message prefix naming the workload, e.g.
 * {@code "churn option "} or, for a part of a mix, {@code "mix option churn."}; messages read
 * "churn option mean-lifetime must be > 0: -3".
 */
final class Checks {

    private Checks() {
    }

    static void positive(String where, String option, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(where + option + " must be > 0: " + value);
        }
    }

    static void atLeast(String where, String option, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(where + option + " must be >= " + min + ": " + value);
        }
    }

    static void inRange(String where, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(where + option + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    /** {@code min <= value <= max} (and not NaN). */
    static void inRange(String where, String option, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(where + option + " must be in [" + min + ", " + max + "]: " + value);
        }
    }

    /** {@code min <= value < max} (and not NaN). */
    static void inHalfOpen(String where, String option, double value, double min, double max) {
        if (!(value >= min && value < max)) {
            throw new IllegalArgumentException(where + option + " must be in [" + min + ", " + max + "): " + value);
        }
    }

    /** {@code 0 < value <= max} (and not NaN). */
    static void inOpenClosed(String where, String option, double value, double max) {
        if (!(value > 0 && value <= max)) {
            throw new IllegalArgumentException(where + option + " must be in (0, " + max + "]: " + value);
        }
    }

    static <T> T given(String where, String option, T value) {
        if (value == null) {
            throw new IllegalArgumentException(where + option + " must be given");
        }
        return value;
    }
}
