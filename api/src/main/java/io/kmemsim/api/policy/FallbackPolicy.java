package io.kmemsim.api.policy;

import org.apiguardian.api.API;

/**
 * Decides what the page allocator does when the free lists of the requested migrate type have no
 * block large enough: which other type to take from, which block, and whether to claim its pageblock.
 * The policy decides; the allocator does the list work through the primitives of
 * {@link FallbackContext}.
 *
 * <p>Contract:
 * <ul>
 *   <li>Called by the allocator's thread only, after the requested type's lists (and CMA, where the
 *       request may use it) came up empty — the kernel's {@code __rmqueue_fallback} /
 *       {@code __rmqueue_claim} + {@code __rmqueue_steal} stage.</li>
 *   <li>The context is valid only during the call; the policy keeps no reference to it.</li>
 *   <li>Returns the first PFN of a block of {@code context.order()} pages that the context's take
 *       or allocate primitives handed out, or {@link io.kmemsim.api.mm.PageAllocator#NO_PAGE}.
 *       Returning a PFN obtained any other way is a contract violation.</li>
 *   <li>Deterministic: the same state and request give the same decision.</li>
 * </ul>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface FallbackPolicy {

    /**
     * Chooses and performs a fallback for the request described by {@code context}.
     *
     * @return the allocated block's first PFN, or {@code PageAllocator.NO_PAGE}
     */
    long fallback(FallbackContext context);
}
