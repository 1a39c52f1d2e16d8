package io.kmemsim.api.kernel;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The per-CPU page list sizes of a zone: {@code batch} ({@code zone_batchsize}) and {@code high}
 * (fixed, fraction-based or the 6.7+ auto-tuning bounds), mm/page_alloc.c: zone_batchsize(), zone_highsize() (6.1).
 *
 * <p>Notes (restated from mm/page_alloc.c: zone_batchsize(), zone_highsize() (6.1); integer arithmetic, {@code rounddown_pow2(0)} never happens):
 * <pre>
 *   zone_batchsize  5.10 - 6.18:  b = min(managed &gt;&gt; 10, 1 MiB / PAGE_SIZE) / 4; b = max(b, 1)
 *                                 raw = rounddown_pow2(b + b/2) - 1        (0 for tiny zones)
 *                   6.19:         b = min(managed &gt;&gt; 12, 256 KiB / PAGE_SIZE)
 *                                 raw = b &lt;= 1 ? 1 : rounddown_pow2(b + b/2) - 1
 *   batch = max(1, raw)
 *   5.10      fraction F = 0: high = 6 * raw
 *             fraction F &gt;= 8: high = managed / F, batch = clamp(high / 4, 1, PAGE_SHIFT * 8)
 *   6.1 - 6.6 zone_highsize(F) = max(T / ncpu, 4 * batch),
 *             T = low watermark incl. boost (F = 0) or managed / F
 *             high = zone_highsize(F)
 *   6.7+      F = 0: high_min = zone_highsize(0), high_max = zone_highsize(8)
 *             F &gt;= 8: high_min = high_max = zone_highsize(F); the live high moves between them
 * </pre>
 * {@code ncpu} is the number of CPUs of the zone's node. The 6.7 boundary is "absent in 6.6, present
 * in 6.8 (believed 6.7)". The reference describes 5.10 and 6.1 but nothing in between: 5.11 – 6.0 get
 * the 6.1 rule here. Kernels before 5.10 are refused (not described).
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class PcpSizing {

    /** {@code MIN_PERCPU_PAGELIST_HIGH_FRACTION}: the smallest non-zero fraction accepted. */
    public static final int MIN_FRACTION = 8;

    /**
     * The pcp sizes of a zone.
     *
     * @param batch   {@code pcp->batch}
     * @param high    {@code pcp->high} as set at the recompute (6.7+: {@code high_min}; the live value
     *                is auto-tuned between {@code highMin} and {@code highMax})
     * @param highMin {@code pcp->high_min} (6.7+); equal to {@code high} before
     * @param highMax {@code pcp->high_max} (6.7+); equal to {@code high} before
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public record PcpLimits(int batch, int high, int highMin, int highMax) {
    }

    private PcpSizing() {
    }

    /** {@code zone_batchsize()} before the {@code max(1, …)}: may be 0 for tiny zones up to 6.18. */
    public static int rawBatch(KernelVersion kernel, long managedPages, PageSize pageSize) {
        checkKernel(kernel);
        if (kernel.has(Feature.PCP_BATCH_AT_LEAST_ONE)) {
            long b = Math.min(managedPages >> 12, (256L << 10) / pageSize.bytes());
            return b <= 1 ? 1 : (int) (Long.highestOneBit(b + b / 2) - 1);
        }
        long b = Math.min(managedPages >> 10, (1L << 20) / pageSize.bytes());
        b /= 4;
        if (b < 1) {
            b = 1;
        }
        return (int) (Long.highestOneBit(b + b / 2) - 1);
    }

    /** {@code pcp->batch} without a fraction: {@code max(1, rawBatch)}. */
    public static int batch(KernelVersion kernel, long managedPages, PageSize pageSize) {
        return Math.max(1, rawBatch(kernel, managedPages, pageSize));
    }

    /**
     * {@code zone_highsize()} (6.1+): {@code max(T / ncpu, 4 * batch)} with {@code T} the low
     * watermark (fraction 0) or {@code managed / fraction}.
     */
    public static int zoneHighsize(long managedPages, long lowWatermarkWithBoost, int cpus, int batch, int fraction) {
        long total = fraction == 0 ? lowWatermarkWithBoost : managedPages / fraction;
        long high = Math.max(total / cpus, 4L * batch);
        return (int) Math.min(Integer.MAX_VALUE, high);
    }

    /**
     * The pcp sizes of a zone at a recompute.
     *
     * @param managedPages           the zone's managed pages
     * @param lowWatermarkWithBoost  the zone's low watermark plus its current boost (ignored in 5.10)
     * @param cpus                   CPUs of the zone's node (≥ 1)
     * @param fraction               5.10: {@code vm.percpu_pagelist_fraction}; 6.1+:
     *                               {@code vm.percpu_pagelist_high_fraction}; 0 or ≥ 8
     * @throws IllegalArgumentException for a fraction in 1..7, cpus &lt; 1 or a kernel before 5.10
     */
    public static PcpLimits compute(KernelVersion kernel, long managedPages, long lowWatermarkWithBoost,
                                    int cpus, int fraction, PageSize pageSize) {
        checkKernel(kernel);
        if (fraction != 0 && fraction < MIN_FRACTION) {
            throw new IllegalArgumentException("percpu_pagelist fraction must be 0 or >= 8: " + fraction);
        }
        if (cpus < 1) {
            throw new IllegalArgumentException("cpus must be >= 1: " + cpus);
        }
        int raw = rawBatch(kernel, managedPages, pageSize);
        if (!kernel.has(Feature.PCP_HIGH_FROM_WATERMARK)) {
            if (fraction == 0) {
                int high = 6 * raw;
                return new PcpLimits(Math.max(1, raw), high, high, high);
            }
            long high = managedPages / fraction;
            int batch = (int) Math.max(1, Math.min(high / 4, pageSize.shift() * 8L));
            int h = (int) Math.min(Integer.MAX_VALUE, high);
            return new PcpLimits(batch, h, h, h);
        }
        int batch = Math.max(1, raw);
        if (!kernel.has(Feature.PCP_HIGH_AUTOTUNE) || fraction != 0) {
            int high = zoneHighsize(managedPages, lowWatermarkWithBoost, cpus, batch, fraction);
            return new PcpLimits(batch, high, high, high);
        }
        int highMin = zoneHighsize(managedPages, lowWatermarkWithBoost, cpus, batch, 0);
        int highMax = zoneHighsize(managedPages, lowWatermarkWithBoost, cpus, batch, MIN_FRACTION);
        return new PcpLimits(batch, highMin, highMin, highMax);
    }

    private static void checkKernel(KernelVersion kernel) {
        Objects.requireNonNull(kernel, "kernel");
        if (!kernel.has(Feature.MODEL_ZONE_FORMULAS)) {
            throw new IllegalArgumentException("pcp batch/high rules are described for kernels 5.10 and later: " + kernel);
        }
    }
}
