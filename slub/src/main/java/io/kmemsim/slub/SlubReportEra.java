package io.kmemsim.slub;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;

/**
 * The families of SLUB's corruption report layout (mm/slub.c: slab_err(), print_trailer() (6.1)) and the version rules that
 * go with them (mm/slub.c: check_object() (6.1); lib/slub_kunit.c: slab_errors (6.1)).
 */
enum SlubReportEra {
    /** ≤5.12: informational lines start with {@code INFO: }. */
    A,
    /** 5.13 … 6.10 (6.1, 6.6): one report per failing region, trailer with the corrupted bytes, then FIX. */
    B,
    /** 6.11 … 6.14, 6.12.0 … 6.12.45: every region checked; header, range line and FIX per region, one trailer at the end. */
    C,
    /** 6.15+, and 6.12.46+ by backport: {@code [<what> overwritten]} lines, one {@code Object corrupt} report per object, WARN. */
    D;

    static SlubReportEra of(KernelVersion k) {
        if (k.has(Feature.SLUB_REPORT_OVERWRITTEN_LINES)) {
            return D;
        }
        if (k.has(Feature.SLUB_REPORT_EVERY_REGION)) {
            return C;
        }
        return k.has(Feature.SLUB_REPORT_NO_INFO_PREFIX) ? B : A;
    }

    /** 6.11+: check_object checks every region and any failure fails the object (mm/slub.c: check_object(), check_bytes_and_report() (6.1)). */
    boolean checksEverything() {
        return this == C || this == D;
    }
}
