/**
 * The {@code spark} engine of {@code kmemsim sweep}: the sweep's points as a Spark RDD, one task per point, each run
 * by the engine's {@link io.kmemsim.engine.sweep.PointRunner} exactly as the local engine runs it.
 */
package io.kmemsim.sweep.spark;
