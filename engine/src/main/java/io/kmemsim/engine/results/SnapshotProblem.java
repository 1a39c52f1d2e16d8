package io.kmemsim.engine.results;

/**
 * A snapshot or reading the recorder could not take (only after a failed run, whose components may be
 * in a broken state, or for a kernel version a format is not described for).
 *
 * @param file    the snapshot file (e.g. {@code zoneinfo}) or what was read (e.g. {@code counters})
 * @param message why
 */
record SnapshotProblem(String file, String message) {
}
