package io.kmemsim.slub;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.slab.SlabFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code slub_debug} boot parameter (mm/slub.c: setup_slub_debug(), parse_slub_debug_flags() (6.1)), parsed once per run, and the per-cache
 * flag decision of {@code kmem_cache_flags}.
 *
 * <p>Grammar (5.10 … 6.18 alike): blocks separated by {@code ;} (empty blocks skipped); a block is an
 * option string optionally followed by {@code ,name1,name2…}. Letters, case-insensitive: {@code F Z P U T A}
 * set flags, {@code O} asks that caches whose minimum order would grow keep no metadata flags (global),
 * {@code -} clears what the block collected so far. A block starting with {@code ,} means full debugging
 * ({@code FZPU}) for its names. The last block without names sets the global options; with none, the
 * global setting stays off. For a cache, the first block whose list matches its name applies; a name
 * with {@code *} matches every cache whose name starts with the part before the {@code *}.
 *
 * <p>Value {@code null} means the parameter was not given (no debugging); the empty string is
 * {@code slub_debug} given without a value, which turns on {@code FZPU} for every cache.
 *
 * <p>Difference from the kernel: an unknown letter is refused with an {@link IllegalArgumentException}
 * naming the letter and its block; the kernel prints {@code slub_debug option '%c' unknown. skipped}
 * ({@code slab_debug …} from 6.8) and boots on. The kernel's message is quoted in the exception.
 */
final class SlubDebugParam {

    /** {@code DEBUG_DEFAULT_FLAGS}: F, Z, P, U. */
    static final long DEFAULT_FLAGS = SlabFlags.CONSISTENCY_CHECKS | SlabFlags.RED_ZONE | SlabFlags.POISON
            | SlabFlags.STORE_USER;
    /** {@code DEBUG_METADATA_FLAGS}: the flags {@code O} drops when they would raise the minimum order. */
    static final long METADATA_FLAGS = SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER;

    /** No debugging for any cache. */
    static final SlubDebugParam NONE = new SlubDebugParam(0, List.of(), false, false);

    /** One block with a cache list: its flags and its names. */
    record Block(long flags, List<String> names) {
    }

    private final long global;
    private final List<Block> blocks;
    private final boolean higherOrderDisable;
    private final boolean any;

    private SlubDebugParam(long global, List<Block> blocks, boolean higherOrderDisable, boolean any) {
        this.global = global;
        this.blocks = blocks;
        this.higherOrderDisable = higherOrderDisable;
        this.any = any;
    }

    /**
     * Parses the parameter's value for {@code kernel}.
     *
     * @throws IllegalArgumentException naming an unknown option letter and its block
     */
    static SlubDebugParam parse(String value, KernelVersion kernel) {
        if (value == null) {
            return NONE;
        }
        if (value.isEmpty()) {
            return new SlubDebugParam(DEFAULT_FLAGS, List.of(), false, true);
        }
        String param = kernel.has(Feature.SLUB_DEBUG_PARAM_SLAB_DEBUG) ? "slab_debug" : "slub_debug";
        long global = 0;
        boolean globalChanged = false;
        boolean higherOrder = false;
        List<Block> blocks = new ArrayList<>();
        for (String block : value.split(";", -1)) {
            if (block.isEmpty()) {
                continue;
            }
            int comma = block.indexOf(',');
            String opts = comma < 0 ? block : block.substring(0, comma);
            long flags = 0;
            if (comma == 0) {
                flags = DEFAULT_FLAGS;
            } else {
                for (int i = 0; i < opts.length(); i++) {
                    char ch = Character.toLowerCase(opts.charAt(i));
                    switch (ch) {
                        case '-' -> flags = 0;
                        case 'f' -> flags |= SlabFlags.CONSISTENCY_CHECKS;
                        case 'z' -> flags |= SlabFlags.RED_ZONE;
                        case 'p' -> flags |= SlabFlags.POISON;
                        case 'u' -> flags |= SlabFlags.STORE_USER;
                        case 't' -> flags |= SlabFlags.TRACE;
                        case 'a' -> flags |= SlabFlags.FAILSLAB;
                        case 'o' -> higherOrder = true;
                        default -> throw new IllegalArgumentException("slub-debug: option '" + opts.charAt(i)
                                + "' unknown in block \"" + block + "\" (the kernel prints: " + param + " option '"
                                + opts.charAt(i) + "' unknown. skipped)");
                    }
                }
            }
            if (comma < 0) {
                global = flags;
                globalChanged = true;
            } else {
                blocks.add(new Block(flags, List.of(block.substring(comma + 1).split(",", -1))));
            }
        }
        if (!globalChanged) {
            global = 0;
        }
        return new SlubDebugParam(global, List.copyOf(blocks), higherOrder, global != 0 || !blocks.isEmpty());
    }

    /**
     * {@code kmem_cache_flags}: the flags cache {@code name} is created with. Caches with
     * {@code SLAB_NO_USER_FLAGS} keep theirs; a matching block adds its flags; otherwise the global
     * options are added, without U for {@code SLAB_NOLEAKTRACE} caches.
     */
    long flagsFor(String name, long flags) {
        if (!any || (flags & SlabFlags.NO_USER_FLAGS) != 0) {
            return flags;
        }
        for (Block b : blocks) {
            for (String pattern : b.names()) {
                if (matches(pattern, name)) {
                    return flags | b.flags();
                }
            }
        }
        long g = global;
        if ((flags & SlabFlags.NOLEAKTRACE) != 0) {
            g &= ~SlabFlags.STORE_USER;
        }
        return flags | g;
    }

    private static boolean matches(String pattern, String name) {
        int star = pattern.indexOf('*');
        return star >= 0 ? name.startsWith(pattern.substring(0, star)) : name.equals(pattern);
    }

    /** True when {@code O} was given ({@code disable_higher_order_debug}). */
    boolean higherOrderDisable() {
        return higherOrderDisable;
    }

    /** True when any cache may get debug flags (SLUB then prints raw pointers, mm/slub.c: setup_slub_debug(), parse_slub_debug_flags() (6.1)). */
    boolean enabled() {
        return any;
    }
}
