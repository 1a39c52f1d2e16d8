package io.kmemsim.api.kernel;

import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A Linux kernel version as a scenario or a command line names it: {@code "5.10"}, {@code "6.1"},
 * {@code "6.12.19"}, and the rule families that follow from it.
 *
 * <p>Stable point releases change behaviour inside a series (docs/kernel-facts.md#sources-and-versions: e.g.
 * 6.1.116 takes the 6.3 ALLOC_* rework, 6.12.29 the 6.15 fallback). A version written without a
 * point release ("bare", e.g. {@code "6.1"}) therefore stands for the newest point release of that
 * series the reference describes ({@link #effectiveSublevel()}), and every rule is decided on
 * {@code major.minor.effectiveSublevel}.
 *
 * <p>This type parses any version from 2.6 on; whether a plugin supports it is the plugin's
 * decision (see {@link #requireOneOf}).
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class KernelVersion implements Comparable<KernelVersion> {

    /**
     * Newest point release per series described by the reference sheets (docs/kernel-facts.md#sources-and-versions:
     * Debian 6.1.192 and 6.12.117 were checked against real kernels; the others are the trees read).
     */
    private static final Map<String, Integer> NEWEST_DESCRIBED = Map.ofEntries(
            Map.entry("5.10", 89), Map.entry("6.1", 192), Map.entry("6.4", 6), Map.entry("6.5", 0),
            Map.entry("6.6", 9), Map.entry("6.8", 0), Map.entry("6.12", 117), Map.entry("6.13", 7),
            Map.entry("6.14", 0), Map.entry("6.18", 2), Map.entry("6.19", 0));

    private final int major;
    private final int minor;
    private final int sublevel;

    private KernelVersion(int major, int minor, int sublevel) {
        this.major = major;
        this.minor = minor;
        this.sublevel = sublevel;
    }

    /** A version with an explicit point release, e.g. {@code of(6, 12, 19)}; {@code sublevel} −1 means bare. */
    public static KernelVersion of(int major, int minor, int sublevel) {
        if (major < 2 || minor < 0 || sublevel < -1) {
            throw new IllegalArgumentException("not a kernel version: " + major + "." + minor + "." + sublevel);
        }
        return new KernelVersion(major, minor, sublevel);
    }

    /**
     * Parses {@code MAJOR.MINOR[.SUBLEVEL]}, ignoring a leading {@code v} and any local suffix
     * after the numbers ({@code "6.1.0-29-arm64"} is 6.1.0).
     *
     * @throws IllegalArgumentException naming the text when it is not a version
     */
    public static KernelVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        if (t.startsWith("v")) {
            t = t.substring(1);
        }
        int end = 0;
        while (end < t.length() && (Character.isDigit(t.charAt(end)) || t.charAt(end) == '.')) {
            end++;
        }
        String[] parts = t.substring(0, end).split("\\.", -1);
        if (end == 0 || parts.length < 2 || parts.length > 3 || (end < t.length() && t.charAt(end) != '-' && t.charAt(end) != '+')) {
            throw new IllegalArgumentException("kernel version must look like 6.1 or 6.12.19: \"" + text + "\"");
        }
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            int sub = parts.length == 3 ? Integer.parseInt(parts[2]) : -1;
            return of(major, minor, sub);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel version must look like 6.1 or 6.12.19: \"" + text + "\"", e);
        }
    }

    public int major() {
        return major;
    }

    public int minor() {
        return minor;
    }

    /** The point release as written, or −1 when the version was written bare ({@code "6.1"}). */
    public int sublevel() {
        return sublevel;
    }

    /** True when no point release was written. */
    public boolean isBare() {
        return sublevel < 0;
    }

    /** The series, e.g. {@code "6.1"}. */
    public String series() {
        return major + "." + minor;
    }

    /**
     * The point release rules are decided on: the written one, or for a bare version the newest the
     * reference describes for the series (0 for a series it does not describe).
     */
    public int effectiveSublevel() {
        if (sublevel >= 0) {
            return sublevel;
        }
        return NEWEST_DESCRIBED.getOrDefault(series(), 0);
    }

    /** True when this version (with its effective point release) is at least {@code major.minor}. */
    public boolean atLeast(int major, int minor) {
        return this.major != major ? this.major > major : this.minor >= minor;
    }

    /** True when this version is at least {@code major.minor.sublevel}, judged on the effective point release. */
    public boolean atLeast(int major, int minor, int sublevel) {
        if (this.major != major) {
            return this.major > major;
        }
        if (this.minor != minor) {
            return this.minor > minor;
        }
        return effectiveSublevel() >= sublevel;
    }

    /** True when this version is in the series {@code major.minor} and its effective point release is at least {@code sublevel}. */
    public boolean inSeriesFrom(int major, int minor, int sublevel) {
        return this.major == major && this.minor == minor && effectiveSublevel() >= sublevel;
    }

    /** True when this version belongs to series {@code major.minor}. */
    public boolean isSeries(int major, int minor) {
        return this.major == major && this.minor == minor;
    }

    /**
     * Checks that this version's series is one of {@code supported} (e.g. {@code "5.10", "6.1"}).
     *
     * @param what the component asking, for the message (e.g. {@code "buddy"})
     * @throws IllegalArgumentException listing the supported series
     */
    public KernelVersion requireOneOf(String what, String... supported) {
        for (String s : supported) {
            if (s.equals(series())) {
                return this;
            }
        }
        throw new IllegalArgumentException(what + " does not support kernel " + this
                + "; supported kernel profiles: " + String.join(", ", supported));
    }

    /**
     * True when this kernel has {@code feature}: the one question version-dependent code asks (the
     * versions of every rule are in {@link Feature}).
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public boolean has(Feature feature) {
        return feature.in(this);
    }

    // ---- rule families, kept for callers of 0.1; each is one feature of the table ----

    /** Largest buddy order is written inclusively ({@code MAX_ORDER} = 10 meaning orders 0..10): 6.4+. */
    public boolean maxOrderInclusive() {
        return has(Feature.MAX_ORDER_INCLUSIVE);
    }

    /** {@code __GFP_ATOMIC} (0x200) exists and is part of GFP_ATOMIC: up to 6.2 (present in 6.1, absent in 6.4). */
    public boolean hasGfpAtomic() {
        return has(Feature.GFP_ATOMIC_FLAG);
    }

    /** GFP_NOWAIT includes __GFP_NOWARN: 6.8+. */
    public boolean gfpNowaitHasNowarn() {
        return has(Feature.GFP_NOWAIT_NOWARN);
    }

    /** The ftrace gfp name table lists composites then single bits in bit order: 6.10+ (read in 6.12). */
    public boolean gfpNamesInBitOrder() {
        return has(Feature.GFP_NAMES_BIT_ORDER);
    }

    /** Tracepoints print {@code pfn=0x%lx} (6.1+) rather than {@code pfn=%lu} (5.10). */
    public boolean tracePfnHex() {
        return has(Feature.TRACE_PFN_HEX);
    }

    /**
     * The ALLOC_* rework (ALLOC_NON_BLOCK / ALLOC_MIN_RESERVE / ALLOC_HIGHATOMIC) applies: 6.3+, and
     * 6.1.116+ by backport.
     */
    public boolean allocFlagsReworked() {
        return has(Feature.ALLOC_FLAGS_REWORK);
    }

    /** The migrate-type fallback algorithm family of this version (mm/page_alloc.c: __rmqueue_fallback() (6.1); mm/page_alloc.c: __rmqueue_fallback(), steal_suitable_fallback() (6.12); mm/page_alloc.c: __rmqueue_claim(), __rmqueue_steal() (6.15)). */
    public FallbackEra fallbackEra() {
        if (has(Feature.FALLBACK_CLAIM_THEN_STEAL)) {
            return FallbackEra.CLAIM_THEN_STEAL;
        }
        if (has(Feature.FALLBACK_STRICT_FREELISTS)) {
            return FallbackEra.STRICT_FREELISTS;
        }
        return FallbackEra.STEAL_AND_MOVE;
    }

    /** The families of the migrate-type fallback algorithm. */
    @API(status = API.Status.STABLE, since = "0.1")
    public enum FallbackEra {
        /** 5.10 – 6.8: steal from the largest block, move the pageblock's free pages, claim on a threshold. */
        STEAL_AND_MOVE,
        /** 6.10 – 6.14 (6.12.0 – 6.12.28): free lists stay strict; a claim re-types and moves, a steal takes one block. */
        STRICT_FREELISTS,
        /** 6.15+ (and 6.12.29+): try to claim a whole block from the largest order, else steal the smallest. */
        CLAIM_THEN_STEAL
    }

    @Override
    public int compareTo(KernelVersion o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        if (minor != o.minor) {
            return Integer.compare(minor, o.minor);
        }
        return Integer.compare(effectiveSublevel(), o.effectiveSublevel());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KernelVersion k && k.major == major && k.minor == minor && k.sublevel == sublevel;
    }

    @Override
    public int hashCode() {
        return (major * 1000 + minor) * 1000 + sublevel;
    }

    /** The version as written: {@code "6.1"} or {@code "6.12.19"}. */
    @Override
    public String toString() {
        return sublevel < 0 ? series() : series() + "." + sublevel;
    }
}
