package io.kmemsim.api.arch;

import org.apiguardian.api.API;

/**
 * RAM taken at boot (firmware, kernel image, memmap, CMA, …): present, but not managed by the buddy
 * allocator, or with {@code nomap} not even present in the linear map.
 *
 * @param name  what it is (e.g. {@code "kernel"}, {@code "optee"}, {@code "cma"})
 * @param base  physical address of the first byte
 * @param size  bytes
 * @param nomap true when the range is {@code no-map} in the device tree: its pages stay present but
 *              are not mapped, and they split the memblock memory regions the kernel prints
 *              (mm/page_alloc.c: free_area_init(), mem_init_print_info() (6.1))
 */
@API(status = API.Status.STABLE, since = "0.1")
public record ReservedRange(String name, long base, long size, boolean nomap) {

    public ReservedRange {
        java.util.Objects.requireNonNull(name, "name");
        if (base < 0 || size <= 0) {
            throw new IllegalArgumentException("reserved range " + name + " must have base >= 0 and size > 0");
        }
    }

    /** The last byte's address, inclusive. */
    public long end() {
        return base + size - 1;
    }
}
