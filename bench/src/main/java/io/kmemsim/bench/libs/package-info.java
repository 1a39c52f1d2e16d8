/**
 * The hand-written primitive map and latency histogram the engine had, against the maintained libraries that
 * replaced them (fastutil, Agrona, HdrHistogram), measured in one JMH run.
 */
package io.kmemsim.bench.libs;
