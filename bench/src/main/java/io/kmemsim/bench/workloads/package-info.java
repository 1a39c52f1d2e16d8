/**
 * JMH benchmarks of the synthetic workload generators (docs/performance.md, section "workload
 * generation").
 */
package io.kmemsim.bench.workloads;
