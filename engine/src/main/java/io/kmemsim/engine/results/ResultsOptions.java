package io.kmemsim.engine.results;

import io.kmemsim.engine.run.Simulation;

/**
 * What a {@link ResultsRecorder} records.
 *
 * @param sampleEvery    take a time-series sample every this many events; a positive multiple of
 *                       {@link Simulation#PROGRESS_INTERVAL} (the recorder samples from
 *                       {@link io.kmemsim.engine.run.RunObserver#progress}, which is called that often)
 * @param maxSamples     the most samples kept; when full, every other sample is dropped and the interval
 *                       doubles. Even and at least 4
 * @param startSnapshots also render {@code buddyinfo.start} and {@code pagetypeinfo.start} when the run starts
 */
public record ResultsOptions(long sampleEvery, int maxSamples, boolean startSnapshots) {

    /** The default sample interval: every {@link Simulation#PROGRESS_INTERVAL} (65,536) events. */
    public static final long DEFAULT_SAMPLE_EVERY = Simulation.PROGRESS_INTERVAL;

    /** The default cap on samples. */
    public static final int DEFAULT_MAX_SAMPLES = 4096;

    public ResultsOptions {
        if (sampleEvery <= 0 || sampleEvery % Simulation.PROGRESS_INTERVAL != 0) {
            throw new IllegalArgumentException("sampleEvery must be a positive multiple of "
                    + Simulation.PROGRESS_INTERVAL + " (the progress interval): " + sampleEvery);
        }
        if (maxSamples < 4 || maxSamples % 2 != 0) {
            throw new IllegalArgumentException("maxSamples must be even and >= 4: " + maxSamples);
        }
    }

    /** Every 65,536 events, at most 4,096 samples, with the start snapshots. */
    public static ResultsOptions defaults() {
        return new ResultsOptions(DEFAULT_SAMPLE_EVERY, DEFAULT_MAX_SAMPLES, true);
    }
}
