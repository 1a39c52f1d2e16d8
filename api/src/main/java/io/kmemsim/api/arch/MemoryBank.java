package io.kmemsim.api.arch;

import org.apiguardian.api.API;

/**
 * One range of RAM as the kernel's memblock sees it ({@code node   0: [mem base-end]}).
 *
 * @param node node id
 * @param base first byte's physical address, page aligned
 * @param size bytes, a positive multiple of the page size
 */
@API(status = API.Status.STABLE, since = "0.1")
public record MemoryBank(int node, long base, long size) {

    public MemoryBank {
        if (node < 0) {
            throw new IllegalArgumentException("node must be >= 0: " + node);
        }
        if (base < 0 || size <= 0) {
            throw new IllegalArgumentException("bank must have base >= 0 and size > 0: base=0x"
                    + Long.toHexString(base) + " size=0x" + Long.toHexString(size));
        }
    }

    /** The last byte's address, inclusive (as the kernel prints {@code [mem base-end]}). */
    public long end() {
        return base + size - 1;
    }
}
