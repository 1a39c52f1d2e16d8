package io.kmemsim.api.slab;

import io.kmemsim.api.arch.VirtualLayout;
import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageSize;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The kmalloc size classes of one kernel build (reference/slab.md §1): which caches exist and in which
 * order they are created, the cache a request size and gfp map to, their names, and the large-kmalloc
 * order. SLUB rules (KMALLOC_SHIFT_LOW 3); SLAB's differ (§1.1) and are not described here.
 *
 * <p>Notes:
 * <ul>
 *   <li>Index {@code i} names a size class: 1 = 96, 2 = 192, otherwise {@code 2^i} (§1.2).</li>
 *   <li>{@code KMALLOC_MIN_SIZE} is {@code max(8, ARCH_KMALLOC_MINALIGN)}: 128 on arm64 up to 6.4, 8
 *       from 6.5 and on x86-64 (§1.4). A request of at most 192 bytes goes through the 24-entry
 *       {@code size_index} table, patched at boot when {@code KMALLOC_MIN_SIZE > 8}; above 192 the
 *       index is {@code fls(size - 1)} (§1.3).</li>
 *   <li>From 6.5 arm64's minimum alignment is a boot-time value ({@code minalign}); every class
 *       whose size is not a multiple of it is served by the cache of the rounded size, and no cache is
 *       created under the smaller name (§1.4). The default 8 is what an arm64 kernel with a swiotlb
 *       bounce buffer (always allocated on arm64) uses.</li>
 *   <li>Types and their creation order (§1.2): 5.10 NORMAL, RECLAIM, then DMA (not in the reference:
 *       from the 5.10 source, where the DMA caches are made in a second loop over the indices from 0,
 *       so {@code dma-kmalloc-96} and {@code -192} come first, and kmalloc-cg does not exist yet, 5.14);
 *       6.1 NORMAL, CGROUP, RECLAIM, DMA; 6.6 and later NORMAL, RECLAIM, DMA, CGROUP (the reference
 *       reads the 6.12 order; kmemsim assumes 6.6 already had it). Random kmalloc copies (6.6+,
 *       CONFIG_RANDOM_KMALLOC_CACHES) and no-objext caches are not modelled.</li>
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class KmallocClasses {

    /** {@code ZERO_SIZE_PTR}: what {@code kmalloc(0)} returns; addresses up to it are "zero or null". */
    public static final long ZERO_SIZE_PTR = 16L;

    /** The largest index with a name ({@code kmalloc-2M}). */
    public static final int MAX_NAMED_INDEX = 21;

    private static final byte[] DEFAULT_SIZE_INDEX = {3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2};

    /** The architectures whose kmalloc minimum alignment kmemsim knows (§1.4). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Arch {
        /** arm64: ARCH_DMA_MINALIGN 128; ARCH_KMALLOC_MINALIGN 128 up to 6.4, 8 from 6.5. */
        ARM64,
        /** x86-64: ARCH_KMALLOC_MINALIGN 8. */
        X86_64;

        /** {@code ARCH_KMALLOC_MINALIGN} of this architecture in {@code kernel}. */
        public int kmallocMinalign(KernelVersion kernel) {
            return this == ARM64 && !kernel.atLeast(6, 5) ? 128 : 8;
        }

        /** This architecture's linear map and {@code struct page} array. */
        public VirtualLayout layout() {
            return this == ARM64 ? VirtualLayout.ARM64 : VirtualLayout.X86_64;
        }

        /** Parses {@code arm64} / {@code x86_64} (also {@code aarch64}, {@code x86-64}, {@code amd64}). */
        public static Arch parse(String text) {
            return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "arm64", "aarch64" -> ARM64;
                case "x86_64", "x86-64", "amd64" -> X86_64;
                default -> throw new IllegalArgumentException("arch must be arm64 or x86_64: " + text);
            };
        }
    }

    /** The kmalloc cache types (§1.2), with their name prefix and creation flag. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Type {
        NORMAL("kmalloc-", 0),
        RECLAIM("kmalloc-rcl-", SlabFlags.RECLAIM_ACCOUNT),
        DMA("dma-kmalloc-", SlabFlags.CACHE_DMA),
        CGROUP("kmalloc-cg-", SlabFlags.ACCOUNT);

        private final String prefix;
        private final long flags;

        Type(String prefix, long flags) {
            this.prefix = prefix;
            this.flags = flags;
        }

        /** The name prefix, e.g. {@code kmalloc-rcl-}. */
        public String prefix() {
            return prefix;
        }

        /** The {@code SLAB_*} flag the caches of this type are created with. */
        public long flags() {
            return flags;
        }
    }

    /**
     * One kmalloc cache created at boot.
     *
     * @param type  its type
     * @param index its size-class index
     * @param size  its object size
     * @param name  its name, e.g. {@code kmalloc-cg-192}
     * @param flags its creation flags ({@link SlabFlags#KMALLOC} plus the type's flag)
     * @param align its alignment before {@link CacheAlignment#calculate} (§1.4)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Cache(Type type, int index, int size, String name, long flags, int align) {
    }

    private final KernelVersion kernel;
    private final int shiftLow;
    private final int shiftHigh;
    private final int shiftMax;
    private final int minSize;
    private final int minalign;
    private final int archMinalign;
    private final byte[] sizeIndex;
    private final List<Type> types;
    private final boolean zoneDma;
    private final boolean memcgKmem;
    private final List<Cache> caches = new ArrayList<>();
    private final int[][] slots;

    private KmallocClasses(KernelVersion kernel, PageSize pageSize, int maxOrder, Arch arch, int runtimeMinalign,
                           boolean zoneDma, boolean memcgKmem) {
        this.kernel = kernel;
        this.archMinalign = arch.kmallocMinalign(kernel);
        this.minSize = Math.max(8, archMinalign);
        this.shiftLow = Integer.numberOfTrailingZeros(minSize);
        this.shiftHigh = pageSize.shift() + 1;
        this.shiftMax = maxOrder + pageSize.shift();
        this.minalign = Math.max(runtimeMinalign, CacheAlignment.ARCH_SLAB_MINALIGN);
        this.zoneDma = zoneDma;
        this.memcgKmem = memcgKmem && kernel.atLeast(5, 14);
        this.sizeIndex = patchedSizeIndex(minSize);
        this.types = typeOrder(kernel, zoneDma, this.memcgKmem);
        this.slots = new int[Type.values().length][MAX_NAMED_INDEX + 1];
        for (int[] row : slots) {
            Arrays.fill(row, -1);
        }
        createAll();
    }

    /**
     * The kmalloc classes of a kernel build.
     *
     * @param kernel          the kernel version
     * @param pageSize        the base page size
     * @param maxOrder        the largest buddy order (inclusive)
     * @param arch            the architecture
     * @param runtimeMinalign arm64 6.5+ boot-time minimum alignment (a power of two in [8, 256]); must be
     *                        8 otherwise
     * @param zoneDma         CONFIG_ZONE_DMA (dma-kmalloc caches exist)
     * @param memcgKmem       memcg kmem accounting built in and enabled (kmalloc-cg caches exist, 5.14+)
     */
    public static KmallocClasses of(KernelVersion kernel, PageSize pageSize, int maxOrder, Arch arch,
                                    int runtimeMinalign, boolean zoneDma, boolean memcgKmem) {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(pageSize, "pageSize");
        Objects.requireNonNull(arch, "arch");
        if (runtimeMinalign < 8 || runtimeMinalign > 256 || Integer.bitCount(runtimeMinalign) != 1) {
            throw new IllegalArgumentException("kmalloc minalign must be a power of two in [8, 256]: " + runtimeMinalign);
        }
        if (runtimeMinalign != 8 && (arch != Arch.ARM64 || !kernel.atLeast(6, 5))) {
            throw new IllegalArgumentException("a boot-time kmalloc minalign exists only on arm64 6.5+ (kernel "
                    + kernel + ", " + arch + "): " + runtimeMinalign);
        }
        return new KmallocClasses(kernel, pageSize, maxOrder, arch, runtimeMinalign, zoneDma, memcgKmem);
    }

    private static byte[] patchedSizeIndex(int minSize) {
        byte[] t = DEFAULT_SIZE_INDEX.clone();
        int low = Integer.numberOfTrailingZeros(minSize);
        for (int i = 8; i < minSize && (i - 1) / 8 < t.length; i += 8) {
            t[(i - 1) / 8] = (byte) low;
        }
        if (minSize >= 64) {
            for (int i = 72; i <= 96; i += 8) {
                t[(i - 1) / 8] = 7;
            }
        }
        if (minSize >= 128) {
            for (int i = 136; i <= 192; i += 8) {
                t[(i - 1) / 8] = 8;
            }
        }
        return t;
    }

    private static List<Type> typeOrder(KernelVersion kernel, boolean zoneDma, boolean memcg) {
        List<Type> order = new ArrayList<>(4);
        order.add(Type.NORMAL);
        if (kernel.atLeast(6, 6)) {
            order.add(Type.RECLAIM);
            if (zoneDma) {
                order.add(Type.DMA);
            }
            if (memcg) {
                order.add(Type.CGROUP);
            }
        } else {
            if (memcg) {
                order.add(Type.CGROUP);
            }
            order.add(Type.RECLAIM);
            if (zoneDma) {
                order.add(Type.DMA);
            }
        }
        return List.copyOf(order);
    }

    private void createAll() {
        boolean dmaLast = !kernel.atLeast(5, 14);
        for (Type type : types) {
            if (dmaLast && type == Type.DMA) {
                continue;
            }
            for (int i = shiftLow; i <= shiftHigh; i++) {
                ensure(type, i);
                if (minSize <= 32 && i == 6) {
                    ensure(type, 1);
                }
                if (minSize <= 64 && i == 7) {
                    ensure(type, 2);
                }
            }
        }
        if (dmaLast && types.contains(Type.DMA)) {
            for (int i = 0; i <= shiftHigh; i++) {
                if (slots[Type.NORMAL.ordinal()][i] >= 0) {
                    ensure(Type.DMA, i);
                }
            }
        }
    }

    private void ensure(Type type, int index) {
        int[] row = slots[type.ordinal()];
        if (row[index] >= 0) {
            return;
        }
        int target = index;
        if (minalign > archMinalign) {
            target = staticIndex(CacheAlignment.alignUp(sizeOf(index), minalign));
        }
        if (row[target] < 0) {
            int size = sizeOf(target);
            caches.add(new Cache(type, target, size, type.prefix() + suffix(target), SlabFlags.KMALLOC | type.flags(),
                    CacheAlignment.kmallocAlign(kernel, size, archMinalign)));
            row[target] = caches.size() - 1;
        }
        row[index] = row[target];
    }

    /** {@code __kmalloc_index}: the class of a size known at build time (no size_index table). */
    private int staticIndex(int size) {
        if (size <= minSize) {
            return shiftLow;
        }
        if (minSize <= 32 && size > 64 && size <= 96) {
            return 1;
        }
        if (minSize <= 64 && size > 128 && size <= 192) {
            return 2;
        }
        return 64 - Long.numberOfLeadingZeros(size - 1L);
    }

    /** The object size of size class {@code index} (0 for index 0). */
    public static int sizeOf(int index) {
        if (index < 0 || index > MAX_NAMED_INDEX) {
            throw new IllegalArgumentException("kmalloc index must be in [0, " + MAX_NAMED_INDEX + "]: " + index);
        }
        return switch (index) {
            case 0 -> 0;
            case 1 -> 96;
            case 2 -> 192;
            default -> 1 << index;
        };
    }

    /** The name suffix of size class {@code index}: {@code 96}, {@code 8}, {@code 1k}, {@code 2M}. */
    public static String suffix(int index) {
        int size = sizeOf(index);
        if (size >= 1 << 20) {
            return (size >> 20) + "M";
        }
        if (size >= 1 << 10) {
            return (size >> 10) + "k";
        }
        return Integer.toString(size);
    }

    /** {@code get_order(size)} for {@code size >= 1}: the smallest order whose block holds {@code size} bytes. */
    public static int getOrder(long size, int pageShift) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be > 0: " + size);
        }
        long pages = (size - 1) >>> pageShift;
        return 64 - Long.numberOfLeadingZeros(pages);
    }

    /** {@code KMALLOC_SHIFT_LOW}. */
    public int shiftLow() {
        return shiftLow;
    }

    /** {@code KMALLOC_SHIFT_HIGH} (PAGE_SHIFT + 1). */
    public int shiftHigh() {
        return shiftHigh;
    }

    /** {@code KMALLOC_MIN_SIZE}. */
    public int minSize() {
        return minSize;
    }

    /** {@code KMALLOC_MAX_CACHE_SIZE}: larger requests are large kmallocs (§1.5). */
    public long maxCacheSize() {
        return 1L << shiftHigh;
    }

    /** {@code KMALLOC_MAX_SIZE} (4 MiB on 4K pages). */
    public long maxSize() {
        return 1L << shiftMax;
    }

    /** The types that have caches, in creation order. */
    public List<Type> types() {
        return types;
    }

    /** Every kmalloc cache in creation order (§1.2). */
    public List<Cache> caches() {
        return List.copyOf(caches);
    }

    /**
     * The size-class index a request of {@code size} bytes looks up (§1.3): 0 for size 0, −1 for a
     * large kmalloc ({@code size > maxCacheSize()}).
     */
    public int index(long size) {
        if (size == 0) {
            return 0;
        }
        if (size < 0) {
            throw new IllegalArgumentException("kmalloc size must be >= 0: " + size);
        }
        if (size <= 192) {
            return sizeIndex[(int) ((size - 1) >>> 3)];
        }
        if (size > maxCacheSize()) {
            return -1;
        }
        return 64 - Long.numberOfLeadingZeros(size - 1);
    }

    /** The type {@code kmalloc_type(gfp)} picks (§1.3; random copies not modelled). */
    public Type type(int gfp) {
        boolean dma = zoneDma && (gfp & Gfp.DMA) != 0;
        if (!kernel.atLeast(5, 14)) {
            if ((gfp & (Gfp.DMA | Gfp.RECLAIMABLE)) == 0) {
                return Type.NORMAL;
            }
            return dma ? Type.DMA : Type.RECLAIM;
        }
        int mask = Gfp.RECLAIMABLE | (zoneDma ? Gfp.DMA : 0) | (memcgKmem ? Gfp.ACCOUNT : 0);
        if ((gfp & mask) == 0) {
            return Type.NORMAL;
        }
        if (dma) {
            return Type.DMA;
        }
        return (gfp & Gfp.RECLAIMABLE) != 0 || !memcgKmem ? Type.RECLAIM : Type.CGROUP;
    }

    /**
     * The position in {@link #caches()} of the cache serving class {@code index} of {@code type}, or −1
     * when there is none (index 0, or a class below {@code KMALLOC_MIN_SIZE} that no size maps to).
     */
    public int cacheFor(Type type, int index) {
        if (index < 0 || index > MAX_NAMED_INDEX) {
            return -1;
        }
        return slots[type.ordinal()][index];
    }

    /** The name of the cache serving a request of {@code size} bytes with {@code gfp}, or null for 0 / large. */
    public String cacheName(long size, int gfp) {
        int i = index(size);
        if (i <= 0) {
            return null;
        }
        return caches.get(cacheFor(type(gfp), i)).name();
    }

    /** {@code kmalloc_size_roundup(size)} (§1.3). */
    public long sizeRoundup(long size, int pageShift) {
        if (size == 0) {
            return 0;
        }
        if (size <= maxCacheSize()) {
            return caches.get(cacheFor(Type.NORMAL, index(size))).size();
        }
        if (size <= maxSize()) {
            return 1L << (pageShift + getOrder(size, pageShift));
        }
        return size;
    }
}
