package io.kmemsim.api.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * The kernel's gfp flags as an {@code int} mask: bit values, composite masks, the mapping to a zone and
 * a migrate type, and printing and parsing exactly as ftrace prints {@code gfp_flags}
 * (reference/page-allocator.md §2).
 *
 * <p>Notes:
 * <ul>
 *   <li>The first 24 bit positions never changed (5.10 … 6.19), so the common modifiers have the same
 *       value in every version. {@code __GFP_ATOMIC} (0x200) exists up to 6.2; position 23 is
 *       {@code __GFP_ZEROTAGS} from 6.1 (a LOCKDEP-only flag in 5.10). The configuration-dependent
 *       tail is modelled for distribution configs without KASAN_HW_TAGS and LOCKDEP: then the only
 *       tail flag is {@code __GFP_NO_OBJ_EXT} = 0x1000000 from 6.10.</li>
 *   <li>Printing walks a version's (mask, name) table: each entry whose whole mask is still present
 *       is printed and its bits removed; leftover bits print as {@code 0x%lx}; 0 prints {@code none}.
 *       Up to 6.8 the table is a hand-ordered list; from 6.10 it is 14 composites then every single
 *       bit in bit order.</li>
 * </ul>
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Gfp {

    public static final int DMA = 0x1;
    public static final int HIGHMEM = 0x2;
    public static final int DMA32 = 0x4;
    public static final int MOVABLE = 0x8;
    public static final int RECLAIMABLE = 0x10;
    public static final int HIGH = 0x20;
    public static final int IO = 0x40;
    public static final int FS = 0x80;
    public static final int ZERO = 0x100;
    /** {@code __GFP_ATOMIC}: exists up to 6.2 only. */
    public static final int ATOMIC = 0x200;
    public static final int DIRECT_RECLAIM = 0x400;
    public static final int KSWAPD_RECLAIM = 0x800;
    public static final int WRITE = 0x1000;
    public static final int NOWARN = 0x2000;
    public static final int RETRY_MAYFAIL = 0x4000;
    public static final int NOFAIL = 0x8000;
    public static final int NORETRY = 0x10000;
    public static final int MEMALLOC = 0x20000;
    public static final int COMP = 0x40000;
    public static final int NOMEMALLOC = 0x80000;
    public static final int HARDWALL = 0x100000;
    public static final int THISNODE = 0x200000;
    public static final int ACCOUNT = 0x400000;
    /** {@code __GFP_ZEROTAGS} (6.1+). */
    public static final int ZEROTAGS = 0x800000;
    /** {@code __GFP_NO_OBJ_EXT} (6.10+, distribution config). */
    public static final int NO_OBJ_EXT = 0x1000000;

    public static final int RECLAIM = DIRECT_RECLAIM | KSWAPD_RECLAIM;
    public static final int ZONEMASK = DMA | HIGHMEM | DMA32 | MOVABLE;
    public static final int MOVABLE_MASK = MOVABLE | RECLAIMABLE;

    public static final int GFP_KERNEL = RECLAIM | IO | FS;
    public static final int GFP_KERNEL_ACCOUNT = GFP_KERNEL | ACCOUNT;
    public static final int GFP_NOIO = RECLAIM;
    public static final int GFP_NOFS = RECLAIM | IO;
    public static final int GFP_USER = RECLAIM | IO | FS | HARDWALL;
    public static final int GFP_DMA = DMA;
    public static final int GFP_DMA32 = DMA32;
    public static final int GFP_HIGHUSER = GFP_USER | HIGHMEM;
    public static final int GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | MOVABLE;
    public static final int GFP_TRANSHUGE_LIGHT = (GFP_HIGHUSER_MOVABLE | COMP | NOMEMALLOC | NOWARN) & ~RECLAIM;
    public static final int GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | DIRECT_RECLAIM;

    private static final ConcurrentHashMap<Integer, Entry[]> TABLES = new ConcurrentHashMap<>();

    private record Entry(int mask, String name) {
    }

    private Gfp() {
    }

    /** {@code GFP_ATOMIC} of a version: {@code HIGH|ATOMIC|KSWAPD_RECLAIM} (0xa20) up to 6.2, 0x820 after. */
    public static int gfpAtomic(KernelVersion v) {
        return v.hasGfpAtomic() ? HIGH | ATOMIC | KSWAPD_RECLAIM : HIGH | KSWAPD_RECLAIM;
    }

    /** {@code GFP_NOWAIT} of a version: 0x800 up to 6.6, {@code KSWAPD_RECLAIM|NOWARN} (0x2800) from 6.8. */
    public static int gfpNowait(KernelVersion v) {
        return v.gfpNowaitHasNowarn() ? KSWAPD_RECLAIM | NOWARN : KSWAPD_RECLAIM;
    }

    /**
     * {@code gfp_migratetype()}: {@code (gfp & (MOVABLE|RECLAIMABLE)) >> 3}.
     *
     * @throws IllegalArgumentException when both mobility bits are set (a caller bug in the kernel)
     */
    public static MigrateType migrateType(int gfp) {
        int mt = (gfp & MOVABLE_MASK) >>> 3;
        if (mt == 3) {
            throw new IllegalArgumentException("gfp has both __GFP_MOVABLE and __GFP_RECLAIMABLE: 0x" + Integer.toHexString(gfp));
        }
        return MigrateType.of(mt);
    }

    /**
     * {@code gfp_zone()}: the highest zone an allocation with these flags may use, for a
     * configuration (DMA falls back to NORMAL without ZONE_DMA, DMA32 to NORMAL without ZONE_DMA32;
     * HIGHMEM is never configured here, so it means NORMAL).
     *
     * @throws IllegalArgumentException for the invalid zone-modifier combinations (kernel BUG)
     */
    public static ZoneType zone(int gfp, KernelConfig config) {
        int bits = gfp & ZONEMASK;
        return switch (bits) {
            case 0x0, 0x2, 0x8 -> ZoneType.NORMAL;
            case 0x1, 0x9 -> config.zoneDma() ? ZoneType.DMA : ZoneType.NORMAL;
            case 0x4, 0xc -> config.zoneDma32() ? ZoneType.DMA32 : ZoneType.NORMAL;
            case 0xa -> ZoneType.MOVABLE;
            default -> throw new IllegalArgumentException("invalid gfp zone modifier combination 0x"
                    + Integer.toHexString(bits) + " in gfp 0x" + Integer.toHexString(gfp));
        };
    }

    /** Prints {@code gfp} exactly as ftrace of {@code kernel} prints {@code gfp_flags=%s}. */
    public static String format(int gfp, KernelVersion kernel) {
        StringBuilder sb = new StringBuilder(48);
        appendTo(sb, gfp, kernel);
        return sb.toString();
    }

    /** Appends {@link #format(int, KernelVersion)} to {@code sb}. */
    public static void appendTo(StringBuilder sb, int gfp, KernelVersion kernel) {
        if (!kernel.atLeast(5, 1)) {
            sb.append(GfpHistory.format(gfp, kernel)); // 2.6.32–5.0: that version's table and bit layout
            return;
        }
        if (gfp == 0) {
            sb.append("none");
            return;
        }
        int start = sb.length();
        int rest = gfp;
        for (Entry e : table(kernel)) {
            if ((rest & e.mask) == e.mask) {
                if (sb.length() > start) {
                    sb.append('|');
                }
                sb.append(e.name);
                rest &= ~e.mask;
                if (rest == 0) {
                    return;
                }
            }
        }
        if (sb.length() > start) {
            sb.append('|');
        }
        sb.append("0x").append(Integer.toHexString(rest));
    }

    /**
     * Parses what ftrace prints: names joined by {@code |} (composites and {@code __GFP_*} modifiers
     * of {@code kernel}), hex parts ({@code 0x…}), or {@code none}. A whole value given as plain hex
     * (as in {@code perf} or raw fields) is accepted too. Kernels before 5.1 (2.6.32 on) are read with
     * their own names and bit layouts into this class's (5.1+) bit values (see {@code GfpHistory}).
     *
     * @throws IllegalArgumentException naming the part that is not a flag of this kernel
     */
    public static int parse(String text, KernelVersion kernel) {
        if (!kernel.atLeast(5, 1)) {
            return GfpHistory.parse(text, kernel);
        }
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty gfp flags");
        }
        if (t.equals("none")) {
            return 0;
        }
        int value = 0;
        for (String part : t.split("\\|", -1)) {
            value |= parsePart(part.trim(), kernel, text);
        }
        return value;
    }

    private static int parsePart(String part, KernelVersion kernel, String whole) {
        if (part.startsWith("0x") || part.startsWith("0X")) {
            long v;
            try {
                v = Long.parseLong(part.substring(2), 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad hex part \"" + part + "\" in gfp flags \"" + whole + "\"", e);
            }
            if (v < 0 || v > 0xffffffffL) {
                throw new IllegalArgumentException("gfp value " + part + " in \"" + whole + "\" is wider than 32 bits");
            }
            return (int) v;
        }
        if (!part.isEmpty() && part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (part.length() > 10 || Long.parseLong(part) > 0xffffffffL) {
                throw new IllegalArgumentException("gfp value " + part + " in \"" + whole + "\" is wider than 32 bits");
            }
            return (int) Long.parseLong(part); // a raw decimal value (perf script -F trace of old perf)
        }
        for (Entry e : table(kernel)) {
            if (e.name.equals(part)) {
                return e.mask;
            }
        }
        throw new IllegalArgumentException(GfpHistory.unknown(part, kernel, whole));
    }

    /** The names of the (mask, name) table ftrace of {@code kernel} prints with, in table order. */
    public static List<String> names(KernelVersion kernel) {
        List<String> names = new ArrayList<>();
        for (Entry e : table(kernel)) {
            names.add(e.name);
        }
        return names;
    }

    /** The mask of a single name of {@code kernel}'s table, e.g. {@code "GFP_KERNEL"} → 0xcc0. */
    public static int mask(String name, KernelVersion kernel) {
        return parsePart(name.trim(), kernel, name);
    }

    private static Entry[] table(KernelVersion k) {
        boolean atomic = k.hasGfpAtomic();
        boolean zerotags = k.atLeast(5, 11);
        boolean nowarnInNowait = k.gfpNowaitHasNowarn();
        boolean bitOrder = k.gfpNamesInBitOrder();
        int key = (atomic ? 1 : 0) | (zerotags ? 2 : 0) | (nowarnInNowait ? 4 : 0) | (bitOrder ? 8 : 0);
        return TABLES.computeIfAbsent(key, x -> build(k, atomic, zerotags, bitOrder));
    }

    private static Entry[] build(KernelVersion k, boolean atomic, boolean zerotags, boolean bitOrder) {
        List<Entry> t = new ArrayList<>(48);
        add(t, GFP_TRANSHUGE, "GFP_TRANSHUGE");
        add(t, GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT");
        add(t, GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE");
        add(t, GFP_HIGHUSER, "GFP_HIGHUSER");
        add(t, GFP_USER, "GFP_USER");
        add(t, GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT");
        add(t, GFP_KERNEL, "GFP_KERNEL");
        add(t, GFP_NOFS, "GFP_NOFS");
        add(t, gfpAtomic(k), "GFP_ATOMIC");
        add(t, GFP_NOIO, "GFP_NOIO");
        add(t, gfpNowait(k), "GFP_NOWAIT");
        add(t, GFP_DMA, "GFP_DMA");
        if (bitOrder) {
            add(t, GFP_DMA32, "GFP_DMA32");
            add(t, RECLAIM, "__GFP_RECLAIM");
            String[] bits = {"__GFP_DMA", "__GFP_HIGHMEM", "__GFP_DMA32", "__GFP_MOVABLE", "__GFP_RECLAIMABLE",
                "__GFP_HIGH", "__GFP_IO", "__GFP_FS", "__GFP_ZERO", null, "__GFP_DIRECT_RECLAIM",
                "__GFP_KSWAPD_RECLAIM", "__GFP_WRITE", "__GFP_NOWARN", "__GFP_RETRY_MAYFAIL", "__GFP_NOFAIL",
                "__GFP_NORETRY", "__GFP_MEMALLOC", "__GFP_COMP", "__GFP_NOMEMALLOC", "__GFP_HARDWALL",
                "__GFP_THISNODE", "__GFP_ACCOUNT", "__GFP_ZEROTAGS", "__GFP_NO_OBJ_EXT"};
            for (int pos = 0; pos < bits.length; pos++) {
                if (bits[pos] != null) {
                    add(t, 1 << pos, bits[pos]);
                }
            }
        } else {
            add(t, HIGHMEM, "__GFP_HIGHMEM");
            add(t, GFP_DMA32, "GFP_DMA32");
            add(t, HIGH, "__GFP_HIGH");
            if (atomic) {
                add(t, ATOMIC, "__GFP_ATOMIC");
            }
            add(t, IO, "__GFP_IO");
            add(t, FS, "__GFP_FS");
            add(t, NOWARN, "__GFP_NOWARN");
            add(t, RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL");
            add(t, NOFAIL, "__GFP_NOFAIL");
            add(t, NORETRY, "__GFP_NORETRY");
            add(t, COMP, "__GFP_COMP");
            add(t, ZERO, "__GFP_ZERO");
            add(t, NOMEMALLOC, "__GFP_NOMEMALLOC");
            add(t, MEMALLOC, "__GFP_MEMALLOC");
            add(t, HARDWALL, "__GFP_HARDWALL");
            add(t, THISNODE, "__GFP_THISNODE");
            add(t, RECLAIMABLE, "__GFP_RECLAIMABLE");
            add(t, MOVABLE, "__GFP_MOVABLE");
            add(t, ACCOUNT, "__GFP_ACCOUNT");
            add(t, WRITE, "__GFP_WRITE");
            add(t, RECLAIM, "__GFP_RECLAIM");
            add(t, DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM");
            add(t, KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM");
            if (zerotags) {
                add(t, ZEROTAGS, "__GFP_ZEROTAGS");
            }
        }
        return t.toArray(new Entry[0]);
    }

    private static void add(List<Entry> t, int mask, String name) {
        t.add(new Entry(mask, name));
    }

    /** {@code "0x" + lower-case hex} of a gfp value, as raw trace fields print it. */
    public static String hex(int gfp) {
        return "0x" + Integer.toHexString(gfp).toLowerCase(Locale.ROOT);
    }
}
