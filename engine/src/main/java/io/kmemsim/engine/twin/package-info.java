/**
 * The digital twin of a real machine ({@code kmemsim twin}): reads a capture bundle, derives the machine,
 * rebuilds the kernel's page state with positions, replays the kernel's trace exactly or through the
 * simulated policies, and measures the distance to the kernel's own end state.
 */
package io.kmemsim.engine.twin;
