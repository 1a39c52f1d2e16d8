/**
 * The kernel's boot-log lines about zones and memory, computed from a
 * {@link io.kmemsim.api.arch.Platform} and a {@link io.kmemsim.api.kernel.KernelVersion}
 * (mm/page_alloc.c: free_area_init(), mem_init_print_info() (6.1)).
 */
package io.kmemsim.engine.bootlog;
