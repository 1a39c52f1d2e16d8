/**
 * The results of a run: a {@link io.kmemsim.engine.run.RunObserver} that samples a bounded time series and
 * takes the kernel-format snapshots, and the writer of the results directory ({@code results.json},
 * {@code timeseries.csv}, {@code /proc} snapshots), every file written atomically (docs/results.md).
 */
package io.kmemsim.engine.results;
