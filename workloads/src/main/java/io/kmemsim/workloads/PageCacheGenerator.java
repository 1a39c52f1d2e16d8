package io.kmemsim.workloads;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.stats.CounterVisitor;
import io.kmemsim.api.workload.Event;
import java.util.SplittableRandom;

/**
 * The {@code page-cache} workload's events (also a part of {@code mix}): a machine whose memory fills with page cache.
 *
 * <p>Notes:
 * <ul>
 *   <li>File pages: {@code files} streaming files of {@code filePages} pages, read (or, with
 *       {@code write-fraction}, written) sequentially, one file after the other, round robin; and a hot
 *       file of {@code hotPages} pages re-read cyclically ({@code hot-fraction} of the page cache
 *       accesses), whose pages are read often enough to be activated. A page that is cached is accessed
 *       (PAGE_ACCESS, {@code folio_mark_accessed}); one that is not is allocated as page cache
 *       (PAGE_ALLOC with {@link Event#asPageCache}, {@code GFP_HIGHUSER_MOVABLE} as
 *       {@code mapping_gfp_mask} defaults to). A page that reclaim evicted keeps the shadow entry the
 *       allocator handed over ({@code evicted}); read again, it is a refault carrying that shadow
 *       ({@link Event#asRefault(long)}), so the allocator measures the refault distance. A write of an
 *       evicted page is no refault ({@code __GFP_WRITE}: the kernel ignores the shadow).</li>
 *   <li>Anonymous memory: {@code processes} processes (owners 1..processes) each build up
 *       {@code anonPages} pages (allocations with {@link Event#asAnon}), touch them for
 *       {@code process-lifetime} events, then exit: their pages are freed one per event, and the
 *       process starts again. A process whose memory the OOM killer freed exits at once.</li>
 *   <li>Every {@code sync-every} events a WRITEBACK writes the dirty pages back.</li>
 *   <li>State is struct-of-arrays: a byte per file page (not cached, cached, evicted) and per anon page
 *       (live or not); handles are the page's index (file pages) or {@link #ANON_BASE} plus the index.</li>
 * </ul>
 */
final class PageCacheGenerator implements Generator, HandleSpace.Owner {

    static final long ANON_BASE = 1L << 40;
    private static final byte NOT_CACHED = 0;
    private static final byte CACHED = 1;
    private static final byte EVICTED = 2;
    private static final int BUILD = 0;
    private static final int LIVE = 1;
    private static final int EXIT = 2;

    private final SplittableRandom random;
    private final long handleBase;
    private final int cpus;
    private final int files;
    private final int filePages;
    private final int hotPages;
    private final int anonPages;
    private final double writeFraction;
    private final double hotFraction;
    private final long syncEvery;
    private final long lifetime;
    private final double anonFraction;
    private final int processes;

    private final byte[] cache;
    /** The shadow entry of each evicted file page (8 bytes per file page). */
    private final long[] shadows;
    private final byte[] anon;
    private final int[] phase;
    private final int[] cursor;
    private final long[] liveUntil;

    private long emitted;
    private long nextSync;
    private int curFile;
    private int streamCursor;
    private int hotCursor;

    private long hits;
    private long misses;
    private long refaults;
    private long writes;
    private long syncs;
    private long anonAllocs;
    private long exits;
    private long reclaimedPages;
    private long oomKilledPages;
    private long failures;

    PageCacheGenerator(PageCacheOptions o, long base, int cpus, int filePages, int hotPages, int anonPages,
                       SplittableRandom random) {
        this.random = random;
        this.handleBase = base;
        this.cpus = cpus;
        this.files = o.files();
        this.filePages = filePages;
        this.hotPages = hotPages;
        this.anonPages = anonPages;
        this.writeFraction = o.writeFraction();
        this.hotFraction = hotPages > 0 ? o.hotFraction() : 0;
        this.syncEvery = o.syncEvery();
        this.lifetime = o.processLifetime();
        this.processes = anonPages > 0 ? o.processes() : 0;
        this.anonFraction = processes > 0 ? o.anonFraction() : 0;
        this.cache = new byte[files * filePages + hotPages];
        this.shadows = new long[cache.length];
        this.anon = new byte[processes * anonPages];
        this.phase = new int[processes];
        this.cursor = new int[processes];
        this.liveUntil = new long[processes];
        this.nextSync = syncEvery;
    }

    @Override
    public void emit(Event into) {
        emitted++;
        if (syncEvery > 0 && emitted >= nextSync) {
            nextSync += syncEvery;
            syncs++;
            into.writeback();
        } else if (anonFraction > 0 && random.nextDouble() < anonFraction) {
            anonStep(into);
        } else {
            cacheStep(into);
        }
    }

    private void cacheStep(Event into) {
        int slot;
        boolean write;
        if (hotFraction > 0 && random.nextDouble() < hotFraction) {
            slot = files * filePages + hotCursor;
            hotCursor = hotCursor + 1 == hotPages ? 0 : hotCursor + 1;
            write = false;
        } else {
            slot = curFile * filePages + streamCursor;
            write = writeFraction > 0 && random.nextDouble() < writeFraction;
            if (++streamCursor == filePages) {
                streamCursor = 0;
                curFile = curFile + 1 == files ? 0 : curFile + 1;
            }
        }
        writes += write ? 1 : 0;
        int cpu = random.nextInt(cpus);
        if (cache[slot] == CACHED) {
            hits++;
            into.pageAccess(handleBase + slot, write, cpu);
            return;
        }
        misses++;
        boolean refault = cache[slot] == EVICTED && !write;
        cache[slot] = CACHED;
        into.pageAlloc(handleBase + slot, 0, Gfp.GFP_HIGHUSER_MOVABLE, cpu).asPageCache(write);
        if (refault) {
            refaults++;
            into.asRefault(shadows[slot]);
        }
    }

    private void anonStep(Event into) {
        int p = random.nextInt(processes);
        int cpu = random.nextInt(cpus);
        int base = p * anonPages;
        if (phase[p] == LIVE && emitted >= liveUntil[p]) {
            phase[p] = EXIT;
            cursor[p] = 0;
        }
        switch (phase[p]) {
            case BUILD -> {
                int i = cursor[p]++;
                if (cursor[p] == anonPages) {
                    phase[p] = LIVE;
                    liveUntil[p] = emitted + lifetime;
                }
                allocateAnon(into, p, base + i, cpu);
            }
            case LIVE -> {
                int i = base + random.nextInt(anonPages);
                if (anon[i] != 0) {
                    into.pageAccess(handleBase + ANON_BASE + i, random.nextBoolean(), cpu);
                } else {
                    allocateAnon(into, p, i, cpu);
                }
            }
            default -> {
                while (cursor[p] < anonPages && anon[base + cursor[p]] == 0) {
                    cursor[p]++;
                }
                if (cursor[p] == anonPages) {
                    exits++;
                    phase[p] = BUILD;
                    cursor[p] = 0;
                    anonStep(into);
                    return;
                }
                int i = base + cursor[p]++;
                anon[i] = 0;
                into.pageFree(handleBase + ANON_BASE + i, 0, cpu);
            }
        }
    }

    private void allocateAnon(Event into, int p, int i, int cpu) {
        anon[i] = 1;
        anonAllocs++;
        into.pageAlloc(handleBase + ANON_BASE + i, 0, Gfp.GFP_HIGHUSER_MOVABLE, cpu).asAnon(p + 1);
    }

    @Override
    public void failed(long handle) {
        handle -= handleBase;
        failures++;
        if (handle >= ANON_BASE) {
            anon[(int) (handle - ANON_BASE)] = 0;
        } else {
            cache[(int) handle] = NOT_CACHED;
        }
    }

    @Override
    public void evicted(long handle, long shadow) {
        if (handle - handleBase < ANON_BASE) {
            shadows[(int) (handle - handleBase)] = shadow;
        }
        reclaimed(handle, false);
    }

    @Override
    public void reclaimed(long handle, boolean oomKill) {
        handle -= handleBase;
        if (handle >= ANON_BASE) {
            int i = (int) (handle - ANON_BASE);
            anon[i] = 0;
            oomKilledPages += oomKill ? 1 : 0;
            int p = i / anonPages;
            if (oomKill && phase[p] != EXIT) {
                phase[p] = EXIT;
                cursor[p] = 0;
            }
        } else {
            cache[(int) handle] = EVICTED;
            reclaimedPages++;
        }
    }

    @Override
    public void forEachCounter(CounterVisitor v) {
        v.counter("workload.pagecache_hits", hits);
        v.counter("workload.pagecache_misses", misses);
        v.counter("workload.pagecache_refaults", refaults);
        v.counter("workload.pagecache_writes", writes);
        v.counter("workload.pagecache_reclaimed", reclaimedPages);
        v.counter("workload.syncs", syncs);
        v.counter("workload.anon_allocs", anonAllocs);
        v.counter("workload.process_exits", exits);
        v.counter("workload.oom_killed_pages", oomKilledPages);
        v.counter("workload.failed_allocations", failures);
    }
}
