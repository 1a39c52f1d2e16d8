/** Reclaim policies: the kernel's kswapd, direct reclaim and OOM killer, a contiguity-aware variant, and none. */
package io.kmemsim.policies.reclaim;
