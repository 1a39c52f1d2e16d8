/**
 * Side-by-side comparison of one scenario under named variants (sets of {@code --set} overrides), with
 * the anti-fragmentation measures of each run collected from its end state.
 */
package io.kmemsim.engine.compare;
