package io.kmemsim.api.kernel;

import org.apiguardian.api.API;

/**
 * The base page size (on arm64 the translation granule): 4K, 16K or 64K.
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum PageSize {
    SIZE_4K(12),
    SIZE_16K(14),
    SIZE_64K(16);

    private final int shift;

    PageSize(int shift) {
        this.shift = shift;
    }

    /** {@code PAGE_SHIFT}: 12, 14 or 16. */
    public int shift() {
        return shift;
    }

    /** {@code PAGE_SIZE} in bytes. */
    public long bytes() {
        return 1L << shift;
    }

    /** {@code PMD_SHIFT} with this granule on arm64 and x86_64: {@code 2 * PAGE_SHIFT - 3}. */
    public int pmdShift() {
        return 2 * shift - 3;
    }

    /** {@code HUGETLB_PAGE_ORDER = PMD_SHIFT - PAGE_SHIFT}: 9, 11 or 13. */
    public int hugetlbOrder() {
        return pmdShift() - shift;
    }

    /**
     * {@code SECTION_SIZE_BITS} of arm64 from 5.12 and of x86_64: 27 with 4K and 16K pages, 29 with 64K.
     *
     * @deprecated the section size depends on the architecture and, on arm64, the kernel version; use
     *             {@link #sectionSizeBits(KernelVersion, boolean)}
     */
    @Deprecated(since = "0.2")
    @API(status = API.Status.DEPRECATED, since = "0.2")
    public int sectionSizeBits() {
        return this == SIZE_64K ? 29 : 27;
    }

    /**
     * {@code SECTION_SIZE_BITS}, the size of a sparsemem section (the unit of present memory: a section with
     * no RAM has no memmap, so {@code pfn_to_online_page()} skips it). x86_64: 27 in every modelled version
     * ({@code arch/x86/include/asm/sparsemem.h}). arm64: 27 with 4K and 16K pages and 29 with 64K from 5.12,
     * 30 for every granule before ({@link Feature#ARM64_SECTION_SIZE_REDUCED};
     * {@code arch/arm64/include/asm/sparsemem.h}).
     *
     * @param kernel the kernel version
     * @param arm64  true for arm64, false for x86_64
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public int sectionSizeBits(KernelVersion kernel, boolean arm64) {
        if (arm64 && !kernel.has(Feature.ARM64_SECTION_SIZE_REDUCED)) {
            return 30;
        }
        return this == SIZE_64K && arm64 ? 29 : 27;
    }

    /** Parses {@code 4K}, {@code 16K}, {@code 64K} (also {@code 4k}, {@code 4096}, …). */
    public static PageSize parse(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        return switch (t) {
            case "4K", "4KB", "4096" -> SIZE_4K;
            case "16K", "16KB", "16384" -> SIZE_16K;
            case "64K", "64KB", "65536" -> SIZE_64K;
            default -> throw new IllegalArgumentException("page size must be 4K, 16K or 64K: " + text);
        };
    }

    /** The page size as users write it: {@code 4K}, {@code 16K}, {@code 64K}. */
    public String label() {
        return (bytes() >> 10) + "K";
    }
}
