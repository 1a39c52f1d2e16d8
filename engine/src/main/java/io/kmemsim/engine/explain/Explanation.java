package io.kmemsim.engine.explain;

import java.util.List;

/**
 * The narration of the first events of a run.
 *
 * @param scenario  the scenario's name
 * @param kernel    the kernel version whose rules the allocator applied
 * @param allocator the page allocator's id
 * @param maxOrder  the largest order
 * @param pageblockOrder {@code pageblock_order}
 * @param start     the zones before the first event
 * @param events    each page event with its steps and the zones after it
 */
public record Explanation(String scenario, String kernel, String allocator, int maxOrder, int pageblockOrder,
                          List<ZoneState> start, List<Event> events) {

    /** One step: the kernel function the rule comes from and what happened. */
    public record Step(String function, String text) {
    }

    /**
     * One page allocation or free (a kmalloc that needed a new slab shows as the page allocation it caused).
     *
     * @param title the first step's sentence (the request)
     * @param steps every step, the first included
     * @param after the zones after it
     */
    public record Event(String title, List<Step> steps, List<ZoneState> after) {
    }

    /**
     * A zone at one instant.
     *
     * @param name       {@code node N, zone Z}
     * @param freePages  {@code NR_FREE_PAGES}
     * @param freeBlocks free blocks per order and migrate type: {@code freeBlocks[order][type]}
     * @param pageblocks the pageblock map ({@link io.kmemsim.api.mm.Zone#pageblockMap()})
     */
    public record ZoneState(String name, long freePages, long[][] freeBlocks, byte[] pageblocks) {
    }
}
