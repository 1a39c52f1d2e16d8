package io.kmemsim.api.mm;

import org.apiguardian.api.API;

/** Told when a live allocated block moves to a new PFN, so whoever holds its handle can follow it. */
@API(status = API.Status.STABLE, since = "0.1")
@FunctionalInterface
public interface MigrationListener {

    /** The block of {@code 2^order} pages at {@code oldPfn} now lives at {@code newPfn}. */
    void migrated(long oldPfn, long newPfn, int order);
}
