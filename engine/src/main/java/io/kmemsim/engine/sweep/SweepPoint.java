package io.kmemsim.engine.sweep;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One run of a sweep: a value per axis and a seed.
 *
 * @param index      the point's place in the grid (axes in spec order, the last varying fastest, seeds innermost)
 * @param axisValues the value of each axis, in the spec's axis order
 * @param seed       the seed
 * @param overrides  every {@code --set} override of this run: the spec's common ones, one per axis, then the seed
 * @param hash       the content hash of the effective scenario (filled in when the plan is checked; "" before)
 */
public record SweepPoint(int index, List<String> axisValues, long seed, List<String> overrides, String hash)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public SweepPoint {
        axisValues = List.copyOf(axisValues);
        overrides = List.copyOf(overrides);
        Objects.requireNonNull(hash, "hash");
    }

    /** This point with its effective scenario's hash. */
    public SweepPoint withHash(String h) {
        return new SweepPoint(index, axisValues, seed, overrides, h);
    }
}
