/** Compaction policies: {@code none}, and the kernel's ({@code linux}) when it lands. */
package io.kmemsim.policies.compaction;
