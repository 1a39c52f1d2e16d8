/**
 * Sweeps: one spec, a grid of scenario points (axes of {@code --set} overrides × seeds), each run as its own
 * deterministic simulation with its own results directory named by a content hash, aggregated into
 * {@code sweep.csv} and {@code summary.csv}; the points run on an interchangeable {@link io.kmemsim.engine.sweep.SweepEngine}.
 */
package io.kmemsim.engine.sweep;
