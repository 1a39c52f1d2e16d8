package io.kmemsim.api.mm;

import org.apiguardian.api.API;

/** A caller broke the page allocator's contract (double free, wrong order, PFN outside the node). */
@API(status = API.Status.STABLE, since = "0.1")
public class PageAllocatorMisuseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the rule broken and the values, e.g. "free of pfn 0x1000 order 2: block is not allocated" */
    public PageAllocatorMisuseException(String message) {
        super(message);
    }
}
