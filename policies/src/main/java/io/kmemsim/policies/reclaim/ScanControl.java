package io.kmemsim.policies.reclaim;

/** The mutable {@code struct scan_control} of one reclaim pass (reused). */
final class ScanControl {
    long nrToReclaim;
    long nrReclaimed;
    long nrScanned;
    int order;
    int priority;
    int reclaimIdx;
    int gfp;
    boolean kswapd;
    boolean forceDeactivate;
    boolean skippedDeactivate;
    boolean compactionReady;
    boolean mayDeactivateFile;
    boolean mayDeactivateAnon;
    /** {@code sc->nr} of one {@code shrink_node} pass (pages): dirty, unqueued dirty, congested, writeback, immediate, taken, file taken. */
    long nrDirty;
    long nrUnqueuedDirty;
    long nrCongested;
    long nrWriteback;
    long nrImmediate;
    long nrTaken;
    long nrFileTaken;
    /** Node flags {@code PGDAT_DIRTY} and {@code PGDAT_WRITEBACK} (kept across passes; cleared when kswapd sleeps balanced). */
    boolean pgdatDirty;
    boolean pgdatWriteback;

    void clearNr() {
        nrDirty = 0;
        nrUnqueuedDirty = 0;
        nrCongested = 0;
        nrWriteback = 0;
        nrImmediate = 0;
        nrTaken = 0;
        nrFileTaken = 0;
    }
}
