package io.kmemsim.api.arch;

import org.apiguardian.api.API;

/**
 * Where the kernel's linear map and {@code struct page} array sit in its virtual address space: the one
 * home of the {@code PAGE_OFFSET} and {@code VMEMMAP_START} constants that simulated addresses (slab
 * objects, large kmallocs, trace {@code page=} pointers) are made of.
 *
 * <p>Notes:
 * <ul>
 *   <li>arm64 with 48-bit VA and 4 KiB pages (6.1): {@code PAGE_OFFSET = -(1 << VA_BITS)} and
 *       {@code VMEMMAP_START = -(1 << (VA_BITS - VMEMMAP_SHIFT))} with {@code VMEMMAP_SHIFT = PAGE_SHIFT -
 *       STRUCT_PAGE_MAX_SHIFT} ({@code arch/arm64/include/asm/memory.h}). memstart_addr is taken as 0 (DRAM
 *       from physical 0, as on the RK3588) and linear-map randomization off.</li>
 *   <li>x86-64 with 4-level paging and KASLR off: {@code __PAGE_OFFSET_BASE_L4} and
 *       {@code __VMEMMAP_BASE_L4} ({@code arch/x86/include/asm/page_64_types.h},
 *       {@code pgtable_64_types.h}, 6.1).</li>
 *   <li>{@code struct page} is taken as 64 bytes ({@code STRUCT_PAGE_MAX_SHIFT} = 6), as in a default
 *       build.</li>
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum VirtualLayout {

    /** arm64, 48-bit VA. */
    ARM64(0xffff000000000000L, 0xfffffc0000000000L),
    /** x86-64, 4-level paging, no KASLR. */
    X86_64(0xffff888000000000L, 0xffffea0000000000L);

    /** {@code sizeof(struct page)} assumed for {@link #pageStruct}. */
    public static final int STRUCT_PAGE_SIZE = 64;

    private final long pageOffset;
    private final long vmemmap;

    VirtualLayout(long pageOffset, long vmemmap) {
        this.pageOffset = pageOffset;
        this.vmemmap = vmemmap;
    }

    /** {@code PAGE_OFFSET}: the linear-map address of physical address 0. */
    public long pageOffset() {
        return pageOffset;
    }

    /** {@code VMEMMAP_START}: the address of the {@code struct page} of PFN 0. */
    public long vmemmap() {
        return vmemmap;
    }

    /** The linear-map address of page {@code pfn}'s first byte ({@code page_address}). */
    public long linearAddress(long pfn, int pageShift) {
        return pageOffset + (pfn << pageShift);
    }

    /** The address of page {@code pfn}'s {@code struct page} ({@code pfn_to_page}): what trace {@code page=} prints. */
    public long pageStruct(long pfn) {
        return vmemmap + pfn * STRUCT_PAGE_SIZE;
    }
}
