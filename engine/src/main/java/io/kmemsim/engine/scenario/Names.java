package io.kmemsim.engine.scenario;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" suggestions for mistyped keys and provider ids. */
final class Names {

    /** The largest edit distance a suggestion may be from the typed key. */
    static final int SUGGEST_DISTANCE = 2;

    private Names() {
    }

    /** The known name closest to {@code typed} within {@link #SUGGEST_DISTANCE} edits (first wins ties). */
    static Optional<String> suggest(String typed, Collection<String> known) {
        String best = null;
        int bestDistance = SUGGEST_DISTANCE + 1;
        for (String k : known) {
            int d = distance(typed, k);
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }

    /** The message for an unknown key: a suggestion when one is close, else the valid keys. */
    static String unknownKey(String typed, Collection<String> known) {
        Optional<String> s = suggest(typed, known);
        if (s.isPresent()) {
            return "unknown key (did you mean '" + s.get() + "'?)";
        }
        return known.isEmpty() ? "unknown key; this section takes no keys"
                : "unknown key; valid keys: " + String.join(", ", known);
    }
}
