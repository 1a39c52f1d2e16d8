package io.kmemsim.api.kernel;

import org.apiguardian.api.API;

/**
 * The per-zone vmstat threshold zoneinfo prints as {@code vm stats threshold}
 * ({@code calculate_normal_threshold}, mm/vmstat.c: zoneinfo_show_print() (6.1), described for 5.10 – 6.12
 * and matching real 6.1 files):
 * {@code min(125, 2 * fls(online_cpus) * (1 + fls(managed >> (27 - PAGE_SHIFT))))}, with
 * {@code fls(0) = 0}. The temporary "pressure" threshold used while kswapd runs is not modelled.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class ZoneStatThreshold {

    /** The largest threshold. */
    public static final int MAX = 125;

    private ZoneStatThreshold() {
    }

    /** {@code fls(x)}: 1-based index of the highest set bit, 0 for 0. */
    public static int fls(long x) {
        return 64 - Long.numberOfLeadingZeros(x);
    }

    /** The normal threshold of a zone with {@code managedPages} on a machine with {@code onlineCpus} CPUs. */
    public static int normal(int onlineCpus, long managedPages, PageSize pageSize) {
        if (onlineCpus < 1) {
            throw new IllegalArgumentException("online cpus must be >= 1: " + onlineCpus);
        }
        long mem = managedPages >> (27 - pageSize.shift());
        long t = 2L * fls(onlineCpus) * (1 + fls(mem));
        return (int) Math.min(MAX, t);
    }
}
