package io.kmemsim.engine.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The points of a spec: the cartesian product of its axes (in spec order, the last axis varying fastest) times its
 * seeds (innermost), less the excluded assignments. Each point carries its full override list.
 */
public final class SweepPlan {

    private SweepPlan() {
    }

    /** The points of {@code spec}, without hashes. */
    public static List<SweepPoint> points(SweepSpec spec) {
        List<SweepSpec.Axis> axes = spec.axes();
        List<SweepPoint> points = new ArrayList<>();
        int[] at = new int[axes.size()];
        int index = 0;
        while (true) {
            List<String> values = new ArrayList<>(axes.size());
            for (int a = 0; a < axes.size(); a++) {
                values.add(axes.get(a).values().get(at[a]));
            }
            if (!excluded(spec, values)) {
                for (long seed : spec.seeds()) {
                    List<String> overrides = new ArrayList<>(spec.common());
                    for (int a = 0; a < axes.size(); a++) {
                        overrides.add(axes.get(a).key() + "=" + values.get(a));
                    }
                    overrides.add("seed=" + seed);
                    points.add(new SweepPoint(index++, values, seed, overrides, ""));
                }
            }
            int a = axes.size() - 1;
            while (a >= 0 && ++at[a] == axes.get(a).values().size()) {
                at[a] = 0;
                a--;
            }
            if (a < 0) {
                return points;
            }
        }
    }

    private static boolean excluded(SweepSpec spec, List<String> values) {
        for (Map<String, String> exclusion : spec.excludes()) {
            boolean all = true;
            for (Map.Entry<String, String> e : exclusion.entrySet()) {
                int a = axisIndex(spec, e.getKey());
                if (a < 0 || !values.get(a).equals(e.getValue())) {
                    all = false;
                    break;
                }
            }
            if (all && !exclusion.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static int axisIndex(SweepSpec spec, String key) {
        for (int a = 0; a < spec.axes().size(); a++) {
            if (spec.axes().get(a).key().equals(key)) {
                return a;
            }
        }
        return -1;
    }
}
