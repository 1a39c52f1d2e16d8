/**
 * The kernel's boot-log lines about zones and memory, computed from a
 * {@link io.kmemsim.api.arch.Platform} and a {@link io.kmemsim.api.kernel.KernelVersion}
 * (reference/arm64-rock5b.md §6.3).
 */
package io.kmemsim.engine.bootlog;
