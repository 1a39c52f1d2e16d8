package io.kmemsim.slab;

import java.util.Locale;

/**
 * The CONFIG_DEBUG_SLAB statistics of {@code /proc/slabinfo} (mm/slab.c: slabinfo_show_stats() (6.1)), in the
 * column order of its {@code globalstat} and {@code cpustat} groups; the counter name is the column
 * name ({@link #columnName()}).
 *
 * <p>Where each moves (the reference gives the names only; this is kmemsim's reading of 6.1's
 * {@code mm/slab.c}): {@code listallocs} per object taken from a slab into an array cache;
 * {@code maxobjs} the high mark of objects out of slabs (in arrays or in use); {@code grown} per new slab;
 * {@code reaped} per slab freed by periodic reaping; {@code maxfreeable} the high mark of free slabs seen
 * when a CPU array is flushed; {@code allochit}/{@code allocmiss} per allocation served from / not from
 * the CPU array; {@code freehit}/{@code freemiss} per free with / without room in it. One memory node
 * and no error reports are modelled, so {@code error}, {@code nodeallocs}, {@code remotefrees} and
 * {@code alienoverflow} stay 0.
 */
enum SlabStat {
    LISTALLOCS, MAXOBJS, GROWN, REAPED, ERROR, MAXFREEABLE, NODEALLOCS, REMOTEFREES, ALIENOVERFLOW,
    ALLOCHIT, ALLOCMISS, FREEHIT, FREEMISS;

    static final int COUNT = values().length;

    private static final SlabStat[] VALUES = values();

    private final String columnName = name().toLowerCase(Locale.ROOT);

    /** The slabinfo column name, e.g. {@code allochit}. */
    String columnName() {
        return columnName;
    }

    static SlabStat of(int ordinal) {
        return VALUES[ordinal];
    }
}
