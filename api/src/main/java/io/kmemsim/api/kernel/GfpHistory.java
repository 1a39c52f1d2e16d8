package io.kmemsim.api.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gfp flags of kernels before 5.1 (2.6.32 … 5.0) as trace output prints them, read into kmemsim's
 * {@code int} mask (the bit values of 5.1+, {@link Gfp}), and the history of every flag name for
 * did-you-mean messages.
 *
 * <p>Bit layouts (include/linux/gfp.h of each version), by era:
 * <pre>
 *   era       versions      layout
 *   WAIT      2.6.32–4.3    __GFP_WAIT 0x10, COLD 0x100, NOWARN 0x200, REPEAT 0x400, NOFAIL 0x800,
 *                           NORETRY 0x1000, MEMALLOC 0x2000 (3.6+), COMP 0x4000, ZERO 0x8000,
 *                           NOMEMALLOC 0x10000, HARDWALL 0x20000, THISNODE 0x40000, RECLAIMABLE 0x80000,
 *                           KMEMCG 0x100000 (3.8–3.14), NOTRACK 0x200000, NO_KSWAPD 0x400000 (2.6.38+),
 *                           OTHER_NODE 0x800000 (2.6.39+), WRITE 0x1000000 (3.2+)
 *   RECLAIM   4.4–4.9       __GFP_WAIT split into DIRECT_RECLAIM 0x400000 and KSWAPD_RECLAIM 0x2000000;
 *                           RECLAIMABLE 0x10, ATOMIC 0x80000, ACCOUNT 0x100000 (4.5+), OTHER_NODE 0x800000,
 *                           WRITE 0x1000000
 *   NO_OTHER  4.10–4.17     OTHER_NODE gone: WRITE 0x800000, KSWAPD_RECLAIM 0x1000000, NOLOCKDEP 0x2000000
 *                           (4.12+); REPEAT renamed RETRY_MAYFAIL (4.13); 4.15 removed COLD and NOTRACK
 *                           ("mm: remove __GFP_COLD", the kmemcheck removal) and left 0x100 and 0x200000
 *                           empty: GFP_KERNEL stays 0x14000c0 (OOM reports of 4.15/4.16 print
 *                           gfp_mask=0x14200ca(GFP_HIGHUSER_MOVABLE))
 *   PACKED    4.18–5.0      "mm: save two stranding bit in gfp_mask" (Shakeel Butt, May 2018): WRITE 0x100,
 *                           DIRECT_RECLAIM 0x200000, KSWAPD_RECLAIM 0x400000, NOLOCKDEP 0x800000; GFP_KERNEL
 *                           0x6000c0 (4.18/4.19 OOM reports: gfp_mask=0x6200ca(GFP_HIGHUSER_MOVABLE))
 *   (5.1+: "mm: shuffle GFP_* flags" (Alexey Dobriyan, posted January 2019, after the 5.0 merge window)
 *   gave today's layout, {@link Gfp}: GFP_KERNEL 0xcc0)
 * </pre>
 * Meaning carries over as the 4.4 split defined it: {@code __GFP_WAIT} is {@code __GFP_RECLAIM}; an
 * allocation of the WAIT era woke kswapd unless {@code __GFP_NO_KSWAPD} was set, so it gets
 * {@code __GFP_KSWAPD_RECLAIM}; one without {@code __GFP_WAIT} but with {@code __GFP_HIGH} is
 * {@code GFP_ATOMIC} ({@code __GFP_ATOMIC} added); {@code __GFP_REPEAT} is read as
 * {@code __GFP_RETRY_MAYFAIL}, {@code __GFP_KMEMCG} as {@code __GFP_ACCOUNT}; {@code __GFP_COLD},
 * {@code __GFP_NOTRACK}, {@code __GFP_OTHER_NODE} and {@code __GFP_NOLOCKDEP} have no 5.1+ bit and are
 * dropped.
 *
 * <p>Names: up to 4.5 the trace's table (include/trace/events/gfpflags.h) printed single flags without
 * the leading underscores ({@code GFP_ZERO}, {@code GFP_NOWARN}) in its older form and with them
 * ({@code __GFP_ZERO}) from the 4.4/4.5 rework; both spellings are read for 2.6.32–4.5. A value of 0
 * printed {@code GFP_NOWAIT} up to 4.4 and {@code none} from 4.5 (the 4.5 gfpflags.h, with GFP_KERNEL_ACCOUNT; mmflags.h from 4.6).
 */
final class GfpHistory {

    private GfpHistory() {
    }

    /** One single flag: its name without underscores, its 5.1+ meaning, and when it existed. */
    private record Flag(String name, int modern, int[] since, int[] until) {
    }

    private static final int[] ALWAYS = {2, 6, 32};
    private static final int[] NEVER = {99, 0, 0};

    /** Every single flag any version 2.6.32 … 5.0 prints, with the versions that have it. */
    private static final List<Flag> FLAGS = List.of(
            flag("DMA", Gfp.DMA, ALWAYS, NEVER),
            flag("HIGHMEM", Gfp.HIGHMEM, ALWAYS, NEVER),
            flag("DMA32", Gfp.DMA32, ALWAYS, NEVER),
            flag("MOVABLE", Gfp.MOVABLE, ALWAYS, NEVER),
            flag("RECLAIMABLE", Gfp.RECLAIMABLE, ALWAYS, NEVER),
            flag("HIGH", Gfp.HIGH, ALWAYS, NEVER),
            flag("IO", Gfp.IO, ALWAYS, NEVER),
            flag("FS", Gfp.FS, ALWAYS, NEVER),
            flag("WAIT", Gfp.RECLAIM, ALWAYS, v(4, 4)),
            flag("COLD", 0, ALWAYS, v(4, 15)),
            flag("NOWARN", Gfp.NOWARN, ALWAYS, NEVER),
            flag("REPEAT", Gfp.RETRY_MAYFAIL, ALWAYS, v(4, 13)),
            flag("RETRY_MAYFAIL", Gfp.RETRY_MAYFAIL, v(4, 13), NEVER),
            flag("NOFAIL", Gfp.NOFAIL, ALWAYS, NEVER),
            flag("NORETRY", Gfp.NORETRY, ALWAYS, NEVER),
            flag("MEMALLOC", Gfp.MEMALLOC, v(3, 6), NEVER),
            flag("COMP", Gfp.COMP, ALWAYS, NEVER),
            flag("ZERO", Gfp.ZERO, ALWAYS, NEVER),
            flag("NOMEMALLOC", Gfp.NOMEMALLOC, ALWAYS, NEVER),
            flag("HARDWALL", Gfp.HARDWALL, ALWAYS, NEVER),
            flag("THISNODE", Gfp.THISNODE, ALWAYS, NEVER),
            flag("KMEMCG", Gfp.ACCOUNT, v(3, 8), v(3, 15)),
            flag("NOTRACK", 0, ALWAYS, v(4, 15)),
            flag("NO_KSWAPD", 0, v(2, 6, 38), v(4, 4)),
            flag("OTHER_NODE", 0, v(2, 6, 39), v(4, 10)),
            flag("WRITE", Gfp.WRITE, v(3, 2), NEVER),
            flag("ATOMIC", Gfp.ATOMIC, v(4, 4), v(6, 3)),
            flag("ACCOUNT", Gfp.ACCOUNT, v(4, 5), NEVER),
            flag("RECLAIM", Gfp.RECLAIM, v(4, 4), NEVER),
            flag("DIRECT_RECLAIM", Gfp.DIRECT_RECLAIM, v(4, 4), NEVER),
            flag("KSWAPD_RECLAIM", Gfp.KSWAPD_RECLAIM, v(4, 4), NEVER),
            flag("NOLOCKDEP", 0, v(4, 12), NEVER),
            flag("ZEROTAGS", Gfp.ZEROTAGS, v(5, 11), NEVER),
            flag("SKIP_ZERO", 0, v(5, 19), NEVER),
            flag("SKIP_KASAN_UNPOISON", 0, v(5, 18), v(6, 4)),
            flag("SKIP_KASAN_POISON", 0, v(5, 16), v(6, 4)),
            flag("SKIP_KASAN", 0, v(6, 4), NEVER),
            flag("NO_OBJ_EXT", Gfp.NO_OBJ_EXT, v(6, 10), NEVER));

    private static Flag flag(String name, int modern, int[] since, int[] until) {
        return new Flag(name, modern, since, until);
    }

    private static int[] v(int major, int minor) {
        return new int[] {major, minor, 0};
    }

    private static int[] v(int major, int minor, int sublevel) {
        return new int[] {major, minor, sublevel};
    }

    private static boolean has(KernelVersion k, Flag f) {
        return atLeast(k, f.since) && !atLeast(k, f.until);
    }

    private static boolean atLeast(KernelVersion k, int[] v) {
        return v[2] == 0 ? k.atLeast(v[0], v[1]) : k.atLeast(v[0], v[1], v[2]);
    }

    /** Old-era bit → flag name, for hex values (index = bit position). */
    private static String[] layout(KernelVersion k) {
        String[] bits = new String[32];
        String[] zone = {"DMA", "HIGHMEM", "DMA32", "MOVABLE"};
        System.arraycopy(zone, 0, bits, 0, 4);
        if (!k.atLeast(4, 4)) {
            String[] a = {"WAIT", "HIGH", "IO", "FS", "COLD", "NOWARN", "REPEAT", "NOFAIL", "NORETRY", "MEMALLOC",
                "COMP", "ZERO", "NOMEMALLOC", "HARDWALL", "THISNODE", "RECLAIMABLE", "KMEMCG", "NOTRACK",
                "NO_KSWAPD", "OTHER_NODE", "WRITE"};
            System.arraycopy(a, 0, bits, 4, a.length);
        } else if (!k.atLeast(4, 18)) {
            // 4.15 removed __GFP_COLD and __GFP_NOTRACK but left their bits (0x100, 0x200000) empty until 4.18
            boolean stranded = k.atLeast(4, 15);
            String[] b = {"RECLAIMABLE", "HIGH", "IO", "FS", stranded ? null : "COLD", "NOWARN",
                k.atLeast(4, 13) ? "RETRY_MAYFAIL" : "REPEAT", "NOFAIL", "NORETRY", "MEMALLOC", "COMP", "ZERO", "NOMEMALLOC",
                "HARDWALL", "THISNODE", "ATOMIC", "ACCOUNT", stranded ? null : "NOTRACK", "DIRECT_RECLAIM"};
            System.arraycopy(b, 0, bits, 4, b.length);
            String[] tail = k.atLeast(4, 10) ? new String[] {"WRITE", "KSWAPD_RECLAIM", "NOLOCKDEP"}
                    : new String[] {"OTHER_NODE", "WRITE", "KSWAPD_RECLAIM"};
            System.arraycopy(tail, 0, bits, 23, tail.length);
        } else {
            String[] d = {"RECLAIMABLE", "HIGH", "IO", "FS", "WRITE", "NOWARN", "RETRY_MAYFAIL", "NOFAIL", "NORETRY",
                "MEMALLOC", "COMP", "ZERO", "NOMEMALLOC", "HARDWALL", "THISNODE", "ATOMIC", "ACCOUNT", "DIRECT_RECLAIM",
                "KSWAPD_RECLAIM", "NOLOCKDEP"};
            System.arraycopy(d, 0, bits, 4, d.length);
        }
        return bits;
    }

    /** Composite names of a pre-5.1 version and their 5.1+ masks (before the WAIT-era kswapd rule). */
    private static Map<String, Integer> composites(KernelVersion k) {
        Map<String, Integer> m = new LinkedHashMap<>();
        boolean waitEra = !k.atLeast(4, 4);
        int transhugeOld = (Gfp.GFP_HIGHUSER_MOVABLE | Gfp.COMP | Gfp.NOMEMALLOC | Gfp.NORETRY | Gfp.NOWARN) & ~Gfp.KSWAPD_RECLAIM;
        if (k.atLeast(4, 8)) {
            m.put("GFP_TRANSHUGE", Gfp.GFP_TRANSHUGE);
            m.put("GFP_TRANSHUGE_LIGHT", Gfp.GFP_TRANSHUGE_LIGHT);
        } else if (k.atLeast(2, 6, 38)) {
            m.put("GFP_TRANSHUGE", transhugeOld);
        }
        m.put("GFP_HIGHUSER_MOVABLE", Gfp.GFP_HIGHUSER_MOVABLE);
        m.put("GFP_HIGHUSER", Gfp.GFP_HIGHUSER);
        m.put("GFP_USER", Gfp.GFP_USER);
        if (!k.atLeast(4, 14)) {
            m.put("GFP_TEMPORARY", Gfp.GFP_KERNEL | Gfp.RECLAIMABLE);
        }
        if (k.atLeast(4, 5)) {
            m.put("GFP_KERNEL_ACCOUNT", Gfp.GFP_KERNEL_ACCOUNT);
        }
        m.put("GFP_KERNEL", Gfp.GFP_KERNEL);
        m.put("GFP_NOFS", Gfp.GFP_NOFS);
        m.put("GFP_ATOMIC", Gfp.HIGH | Gfp.ATOMIC | Gfp.KSWAPD_RECLAIM);
        m.put("GFP_NOIO", Gfp.GFP_NOIO);
        // up to 4.4 a value of 0 printed GFP_NOWAIT; from 4.4 GFP_NOWAIT is __GFP_KSWAPD_RECLAIM (the WAIT-era
        // kswapd rule turns 0 into the same)
        m.put("GFP_NOWAIT", waitEra ? 0 : Gfp.KSWAPD_RECLAIM);
        m.put("GFP_DMA", Gfp.DMA);
        m.put("GFP_DMA32", Gfp.DMA32);
        return m;
    }

    /**
     * Parses {@code text} as a pre-5.1 kernel prints {@code gfp_flags}: names joined by {@code |}, hex
     * parts in that version's bit layout, a whole hex or decimal value, {@code none} or {@code GFP_NOWAIT}.
     */
    static int parse(String text, KernelVersion k) {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty gfp flags");
        }
        if (t.equals("none") && k.atLeast(4, 5)) {
            return 0;
        }
        boolean waitEra = !k.atLeast(4, 4);
        int value = 0;
        boolean noKswapd = false;
        boolean wait = false;
        Map<String, Integer> composites = composites(k);
        String[] bits = layout(k);
        for (String raw : t.split("\\|", -1)) {
            String part = raw.trim();
            if (part.startsWith("0x") || part.startsWith("0X") || !part.isEmpty() && Character.isDigit(part.charAt(0))) {
                long bitsValue = rawNumber(part, text);
                for (int b = 0; b < 32; b++) {
                    if ((bitsValue & (1L << b)) != 0) {
                        if (bits[b] == null) {
                            throw new IllegalArgumentException("gfp bit 0x" + Long.toHexString(1L << b) + " in \"" + text
                                    + "\" is not a flag of kernel " + k);
                        }
                        Flag f = find(bits[b]);
                        value |= f.modern;
                        noKswapd |= f.name.equals("NO_KSWAPD");
                        wait |= f.name.equals("WAIT");
                    }
                }
                continue;
            }
            Integer c = composites.get(part);
            if (c != null) {
                // WAIT era: kswapd and __GFP_ATOMIC follow from the whole value (below), not from a composite
                value |= waitEra ? c & ~(Gfp.KSWAPD_RECLAIM | Gfp.ATOMIC) : c;
                wait |= waitEra && (c & Gfp.DIRECT_RECLAIM) != 0;
                // the WAIT era's GFP_TRANSHUGE carries __GFP_NO_KSWAPD
                noKswapd |= waitEra && (c & Gfp.DIRECT_RECLAIM) != 0 && (c & Gfp.KSWAPD_RECLAIM) == 0;
                continue;
            }
            String bare = part.startsWith("__GFP_") ? part.substring(6)
                    : part.startsWith("GFP_") && !k.atLeast(4, 6) ? part.substring(4) : null;
            Flag f = bare == null ? null : find(bare);
            if (f == null || !has(k, f)) {
                throw new IllegalArgumentException(unknown(part, k, text));
            }
            value |= f.modern;
            noKswapd |= f.name.equals("NO_KSWAPD");
            wait |= f.name.equals("WAIT");
        }
        if (waitEra) {
            if (!noKswapd) {
                value |= Gfp.KSWAPD_RECLAIM;
            }
            if (!wait && (value & Gfp.HIGH) != 0) {
                value |= Gfp.ATOMIC;
            }
        }
        return value;
    }

    /**
     * Prints a 5.1+ mask as kernel {@code k} (before 5.1) printed {@code gfp_flags}: the value is put back
     * into that version's bit layout and its table is walked as {@code __print_flags} does (each entry whose
     * whole mask is present is printed and its bits removed; bits left over print as {@code 0x%lx}).
     * Tables: include/trace/events/gfpflags.h show_gfp_flags() — 2.6.32–4.3 names without underscores and
     * {@code GFP_NOWAIT} for 0; 4.4 the same with {@code GFP_DIRECT_RECLAIM}/{@code GFP_KSWAPD_RECLAIM} in
     * place of {@code GFP_WAIT}/{@code GFP_NO_KSWAPD}; 4.5 {@code __GFP_} names and {@code none} for 0 — and
     * from 4.6 include/trace/events/mmflags.h __def_gfpflag_names (the same order). Flags kmemsim drops on
     * reading ({@code __GFP_COLD}, {@code __GFP_NOTRACK}, {@code __GFP_OTHER_NODE}, {@code __GFP_NOLOCKDEP})
     * cannot reappear.
     */
    static String format(int gfp, KernelVersion k) {
        long old = toOld(gfp, k);
        if (old == 0) {
            return k.atLeast(4, 5) ? "none" : "GFP_NOWAIT";
        }
        StringBuilder sb = new StringBuilder(48);
        long rest = old;
        for (String name : printTable(k)) {
            long mask = oldMask(name, k);
            if (mask != 0 && (rest & mask) == mask) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(name);
                rest &= ~mask;
                if (rest == 0) {
                    return sb.toString();
                }
            }
        }
        if (sb.length() > 0) {
            sb.append('|');
        }
        return sb.append("0x").append(Long.toHexString(rest)).toString();
    }

    /** The names of kernel {@code k}'s printing table (before 5.1), in table order. */
    private static List<String> printTable(KernelVersion k) {
        List<String> t = new ArrayList<>();
        boolean underscores = k.atLeast(4, 5);
        if (k.atLeast(2, 6, 38)) {
            t.add("GFP_TRANSHUGE");
        }
        if (k.atLeast(4, 8)) {
            t.add("GFP_TRANSHUGE_LIGHT");
        }
        t.addAll(List.of("GFP_HIGHUSER_MOVABLE", "GFP_HIGHUSER", "GFP_USER"));
        if (!k.atLeast(4, 14)) {
            t.add("GFP_TEMPORARY");
        }
        if (k.atLeast(4, 5)) {
            t.add("GFP_KERNEL_ACCOUNT");
        }
        t.addAll(List.of("GFP_KERNEL", "GFP_NOFS", "GFP_ATOMIC", "GFP_NOIO"));
        if (underscores) {
            t.addAll(List.of("GFP_NOWAIT", "GFP_DMA", "__GFP_HIGHMEM", "GFP_DMA32"));
        }
        String[] singles = underscores
                ? new String[] {"HIGH", "ATOMIC", "IO", "FS", "COLD", "NOWARN", "REPEAT", "RETRY_MAYFAIL", "NOFAIL", "NORETRY",
                    "COMP", "ZERO", "NOMEMALLOC", "MEMALLOC", "HARDWALL", "THISNODE", "RECLAIMABLE", "MOVABLE", "ACCOUNT",
                    "NOTRACK", "WRITE", "RECLAIM", "DIRECT_RECLAIM", "KSWAPD_RECLAIM", "OTHER_NODE"}
                : k.atLeast(4, 4)
                ? new String[] {"HIGH", "ATOMIC", "IO", "COLD", "NOWARN", "REPEAT", "NOFAIL", "NORETRY", "COMP", "ZERO",
                    "NOMEMALLOC", "MEMALLOC", "HARDWALL", "THISNODE", "RECLAIMABLE", "MOVABLE", "NOTRACK", "DIRECT_RECLAIM",
                    "KSWAPD_RECLAIM", "OTHER_NODE"}
                : new String[] {"HIGH", "WAIT", "IO", "COLD", "NOWARN", "REPEAT", "NOFAIL", "NORETRY", "COMP", "ZERO",
                    "NOMEMALLOC", "MEMALLOC", "HARDWALL", "THISNODE", "RECLAIMABLE", "MOVABLE", "NOTRACK", "NO_KSWAPD",
                    "OTHER_NODE"};
        for (String single : singles) {
            Flag f = find(single);
            if (f != null && has(k, f)) {
                t.add((underscores ? "__GFP_" : "GFP_") + single);
            }
        }
        return t;
    }

    /** The mask of a printing-table name in kernel {@code k}'s bit layout. */
    private static long oldMask(String name, KernelVersion k) {
        Integer composite = composites(k).get(name);
        if (composite != null && name.startsWith("GFP_")) {
            return toOld(composite, k);
        }
        String bare = name.startsWith("__GFP_") ? name.substring(6) : name.substring(4);
        if (bare.equals("RECLAIM")) {
            return toOld(Gfp.RECLAIM, k);
        }
        String[] bits = layout(k);
        for (int b = 0; b < bits.length; b++) {
            if (bare.equals(bits[b])) {
                return 1L << b;
            }
        }
        return 0;
    }

    /**
     * A 5.1+ mask in kernel {@code k}'s bit layout (the inverse of {@link #parse}): {@code __GFP_WAIT} for a
     * direct-reclaim bit, {@code __GFP_NO_KSWAPD} for a missing kswapd bit (2.6.38–4.3), {@code __GFP_ATOMIC}
     * only from 4.4 (before, it followed from the other bits).
     */
    private static long toOld(int modern, KernelVersion k) {
        boolean waitEra = !k.atLeast(4, 4);
        String[] bits = layout(k);
        long old = 0;
        for (int b = 0; b < bits.length; b++) {
            String name = bits[b];
            if (name == null) {
                continue;
            }
            boolean set;
            if (name.equals("WAIT")) {
                set = (modern & Gfp.DIRECT_RECLAIM) != 0;
            } else if (name.equals("NO_KSWAPD")) {
                set = waitEra && k.atLeast(2, 6, 38) && (modern & Gfp.KSWAPD_RECLAIM) == 0;
            } else {
                Flag f = find(name);
                set = f != null && f.modern != 0 && has(k, f) && (modern & f.modern) == f.modern;
            }
            if (set) {
                old |= 1L << b;
            }
        }
        return old;
    }

    private static long rawNumber(String part, String whole) {
        try {
            long v = part.startsWith("0x") || part.startsWith("0X") ? Long.parseLong(part.substring(2), 16) : Long.parseLong(part);
            if (v < 0 || v > 0xffffffffL) {
                throw new IllegalArgumentException("gfp value " + part + " in \"" + whole + "\" is wider than 32 bits");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number \"" + part + "\" in gfp flags \"" + whole + "\"", e);
        }
    }

    private static Flag find(String bare) {
        for (Flag f : FLAGS) {
            if (f.name.equals(bare)) {
                return f;
            }
        }
        return null;
    }

    /**
     * The message for a name {@code part} that kernel {@code k} does not print: which kernels do print it,
     * or the nearest name {@code k} has.
     */
    static String unknown(String part, KernelVersion k, String whole) {
        String bare = part.startsWith("__GFP_") ? part.substring(6) : part.startsWith("GFP_") ? part.substring(4) : part;
        Flag f = find(bare);
        String where = " in \"" + whole + "\"";
        if (f != null) {
            String range = range(f);
            return "gfp flag " + part + " is printed by kernels " + range + ", not by kernel " + k
                    + where + "; give the traced kernel's version with --kernel";
        }
        String nearest = nearest(part, names(k));
        return "unknown gfp flag \"" + part + "\" for kernel " + k + where
                + (nearest == null ? "" : "; did you mean " + nearest + "?");
    }

    private static String range(Flag f) {
        String from = f.since == ALWAYS ? "2.6.32" : f.since[0] + "." + f.since[1] + (f.since[2] > 0 ? "." + f.since[2] : "");
        if (f.until == NEVER) {
            return from + " and later";
        }
        return from + "–" + f.until[0] + "." + (f.until[1] - 1);
    }

    /** The names kernel {@code k} reads (pre-5.1 here; 5.1+ from {@link Gfp#names}). */
    static List<String> names(KernelVersion k) {
        if (k.atLeast(5, 1)) {
            return Gfp.names(k);
        }
        List<String> out = new ArrayList<>(composites(k).keySet());
        for (Flag f : FLAGS) {
            if (has(k, f)) {
                out.add("__GFP_" + f.name);
            }
        }
        return out;
    }

    /** The name in {@code candidates} nearest {@code s} by edit distance, if within a third of its length. */
    static String nearest(String s, List<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(s, c);
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return bestD <= Math.max(2, s.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
