/**
 * The simulation loop: builds a scenario's components through their providers and drives the page
 * allocator and the object cache with the workload's events, single-threaded and deterministic.
 */
package io.kmemsim.engine.run;
