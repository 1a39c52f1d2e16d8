package io.kmemsim.slub;

import io.kmemsim.api.slab.SlabFlags;

/**
 * {@code validate_slab_cache} (reference/slab.md §4.5) and the leak report of
 * {@code __kmem_cache_shutdown} (§2.6, §4.6 "Shutdown with leaks").
 *
 * <p>Order: the node partial list from its head, then (U only) the slabs off every list — kmemsim keeps
 * no separate {@code full} list, so it visits them by slab id, where the kernel visits its full list
 * most recently filled first. Slabs retired by a failed allocation check are on no list, as in the
 * kernel, so with U they make the {@code slabs counted} line appear.
 */
final class SlubValidator {

    private SlubValidator() {
    }

    static void validate(SlubObjectCache a, SlubCache c) {
        SlubSlabs t = a.slabs;
        SlubDebug d = a.debug;
        int[] partial = new int[c.nrPartial];
        int n = 0;
        for (int s = c.partialHead; s >= 0; s = t.next[s]) {
            partial[n++] = s;
        }
        long count = 0;
        for (int i = 0; i < n; i++) {
            validateSlab(d, c, partial[i]);
            count++;
        }
        StringBuilder out = d.out();
        if (count != n) {
            out.append("SLUB ").append(c.name).append(": ").append(count).append(" partial slabs counted but counter=")
                    .append(n).append('\n');
            countMismatch(a, d);
        }
        if ((c.flags & SlabFlags.STORE_USER) == 0) {
            return;
        }
        for (int s = 0; s < t.highWater(); s++) {
            if (t.state[s] == SlubSlabs.FULL && t.cache[s] == c.index && !d.failed(s)) {
                validateSlab(d, c, s);
                count++;
            }
        }
        if (count != c.nrSlabs) {
            out.append("SLUB: ").append(c.name).append(' ').append(count).append(" slabs counted but counter=")
                    .append(c.nrSlabs).append('\n');
            countMismatch(a, d);
        }
    }

    private static void countMismatch(SlubObjectCache a, SlubDebug d) {
        if (a.kernel.atLeast(6, 12)) {
            d.r.countError();
        }
        d.r.emit(d.out());
    }

    /** {@code validate_slab}: slab checks, the freelist walk, then every object until the first that fails. */
    private static void validateSlab(SlubDebug d, SlubCache c, int slab) {
        if (d.checkSlab(c, slab) && d.walk.onFreelist(c, slab, -1, true) >= 0) {
            SlubSlabs t = d.slabs();
            for (int i = 0; i < t.objects[slab]; i++) {
                if (!d.checkObject(c, slab, i, d.walk.isFree(slab, i) ? SlubDebug.RED_INACTIVE : SlubDebug.RED_ACTIVE)) {
                    break;
                }
            }
        }
        d.r.emit(d.out());
    }

    /**
     * The shutdown leak report for every node-partial slab that still has objects in use: a slab-level
     * header ({@code Objects remaining in <cache> on __kmem_cache_shutdown()} up to 6.11, without the
     * cache name from 6.12), then {@code Object 0x… @offset=…} and the tracks per object in use; then the
     * {@code kmem_cache_destroy <cache>: Slab cache still has objects when called from 0x0} warning
     * (the caller is unknown to kmemsim; {@code %pS} of 0 prints {@code 0x0}), suppressed under kunit
     * in 6.12 and not produced here from 6.12.
     */
    static void reportLeaks(SlubObjectCache a, SlubCache c) {
        SlubSlabs t = a.slabs;
        SlubDebug d = a.debug;
        StringBuilder out = d.out();
        boolean v612 = a.kernel.atLeast(6, 12);
        for (int s = c.partialHead; s >= 0; s = t.next[s]) {
            if (t.inuse[s] == 0) {
                continue;
            }
            d.slabErr(c, s, v612 ? "Objects remaining on __kmem_cache_shutdown()"
                    : "Objects remaining in " + c.name + " on __kmem_cache_shutdown()");
            int[] next = t.objNext[s];
            for (int i = 0; i < t.objects[s]; i++) {
                if (next[i] == SlubSlabs.ALLOCATED || next[i] == SlubSlabs.LOST) {
                    long off = (long) i * c.size + c.redLeftPad;
                    d.r.info(out, "Object 0x" + SlubReporter.ptr(t.base[s] + off) + " @offset=" + off);
                    d.printTracking(c, s, i);
                    if (v612) {
                        d.r.countError();
                    }
                }
            }
            d.r.emit(out);
        }
        if (!v612) {
            out.append("kmem_cache_destroy ").append(c.name)
                    .append(": Slab cache still has objects when called from 0x0\n");
            d.r.emit(out);
        }
    }
}
