/** Listeners for the kernel's tracepoint-level events (allocations, frees, fallbacks) emitted by plugins. */
@API(status = API.Status.STABLE, since = "0.1")
package io.kmemsim.api.trace;

import org.apiguardian.api.API;
