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
}
