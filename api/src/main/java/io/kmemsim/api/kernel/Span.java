package io.kmemsim.api.kernel;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The kernel versions a {@link Feature} holds for: a mainline range {@code [from, until)} of series,
 * plus stable point releases that took it by backport ({@code 6.1.116+}) and point releases that
 * took a later fix removing it ({@code 6.12.19+}).
 *
 * <p>A version written bare ({@code "6.1"}) is judged on the newest point release of its series that
 * kmemsim describes ({@link KernelVersion#effectiveSublevel()}), so a backport counts for it.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Span {

    /** Whether any mainline release holds it ({@code false}: stable backports only). */
    private final boolean mainline;
    private final int[] from;
    private final int[] until;
    private final List<int[]> backports = new ArrayList<>(2);
    private final List<int[]> fixes = new ArrayList<>(2);

    private Span(boolean mainline, int[] from, int[] until) {
        this.mainline = mainline;
        this.from = from;
        this.until = until;
    }

    /** Every kernel from series {@code major.minor} on. */
    public static Span since(int major, int minor) {
        return new Span(true, new int[] {major, minor}, null);
    }

    /** Every kernel before series {@code major.minor} (the behaviour was removed there). */
    public static Span before(int major, int minor) {
        return new Span(true, null, new int[] {major, minor});
    }

    /** Series {@code major.minor} only (vendor kernels, series-specific facts). */
    public static Span series(int major, int minor) {
        return new Span(true, new int[] {major, minor}, new int[] {major, minor + 1});
    }

    /** No mainline release: only the backports added with {@link #backport}. */
    public static Span backportsOnly() {
        return new Span(false, null, null);
    }

    /** Ends the mainline range before series {@code major.minor}. */
    public Span until(int major, int minor) {
        Span s = new Span(mainline, from, new int[] {major, minor});
        s.backports.addAll(backports);
        s.fixes.addAll(fixes);
        return s;
    }

    /** Also holds for {@code major.minor.sublevel} and later point releases of that series. */
    public Span backport(int major, int minor, int sublevel) {
        backports.add(new int[] {major, minor, sublevel});
        return this;
    }

    /** No longer holds from {@code major.minor.sublevel} on in that series (a stable fix removed it). */
    public Span fixedIn(int major, int minor, int sublevel) {
        fixes.add(new int[] {major, minor, sublevel});
        return this;
    }

    /** True when {@code k} has the behaviour. */
    public boolean holds(KernelVersion k) {
        boolean on = mainline && (from == null || k.atLeast(from[0], from[1])) && (until == null || !k.atLeast(until[0], until[1]));
        for (int[] b : backports) {
            if (k.inSeriesFrom(b[0], b[1], b[2])) {
                on = true;
            }
        }
        for (int[] f : fixes) {
            if (k.inSeriesFrom(f[0], f[1], f[2])) {
                on = false;
            }
        }
        return on;
    }

    /** The versions in words, e.g. {@code "6.10 – 6.13; 6.12.0 – 6.12.18"} or {@code "6.3+, 6.1.116+"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (!mainline) {
            // stable backports only: listed below
        } else if (from == null) {
            sb.append("before ").append(until[0]).append('.').append(until[1]);
        } else if (until == null) {
            sb.append(from[0]).append('.').append(from[1]).append('+');
        } else if (until[0] == from[0] && until[1] == from[1] + 1) {
            sb.append(from[0]).append('.').append(from[1]).append(" series");
        } else {
            sb.append(from[0]).append('.').append(from[1]).append(" until ").append(until[0]).append('.').append(until[1]);
        }
        for (int[] b : backports) {
            sb.append(sb.length() == 0 ? "" : ", ").append(b[0]).append('.').append(b[1]).append('.').append(b[2]).append('+');
        }
        for (int[] f : fixes) {
            sb.append("; not ").append(f[0]).append('.').append(f[1]).append('.').append(f[2]).append('+');
        }
        return sb.toString();
    }
}
