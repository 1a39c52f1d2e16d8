package io.kmemsim.api.mm;

import org.apiguardian.api.API;

/**
 * Told each step a page allocator takes while it serves one allocation or free, for {@code kmemsim explain}:
 * the kernel function whose rule applied and what it decided, with the numbers it decided on.
 *
 * <p>Contract: called on the host's thread, synchronously inside {@link PageAllocator#allocate} and
 * {@link PageAllocator#free}; it must not call back into the allocator. {@code function} names the kernel
 * source file and function whose rule the step follows ({@code "mm/page_alloc.c: __rmqueue_smallest()"});
 * the kernel version is the allocator's (the caller knows it from the scenario). Neither argument is null.
 * An allocator only narrates while a narrator is set ({@link PageAllocator#setNarrator}); with none set it
 * pays a single null check per step and allocates nothing.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@FunctionalInterface
public interface Narrator {

    /**
     * One step.
     *
     * @param function the kernel source file and function the rule comes from
     * @param text     what happened, in one sentence with the numbers (PFNs in hex, orders, counts)
     */
    void step(String function, String text);
}
