package io.kmemsim.buddy;

import io.kmemsim.api.mm.ReclaimListener;
import io.kmemsim.api.policy.ReclaimContext;
import io.kmemsim.api.workload.Event;
import java.util.Arrays;

/**
 * The node's LRU lists ({@code struct lruvec} of 6.1's {@code pglist_data}; per node since 4.8, so in
 * 5.10 too): inactive/active × anon/file, with the page flags reclaim ages by. A folio is an allocated
 * block; it is on at most one list.
 *
 * <p>Notes (struct-of-arrays, nothing allocated per operation):
 * <pre>
 *   links        the allocator's next/prev links ({@code links}) of the folio's head page — unused while a block is
 *                allocated (they link free and per-CPU lists only), so the lists cost no extra bytes
 *   state[idx]   byte  bits 0-2 list (0 inactive anon, 1 active anon, 2 inactive file, 3 active file,
 *                      7 none), bits 3-7 REFERENCED DIRTY RECLAIM YOUNG WORKINGSET (ReclaimContext)
 *   owner[idx]   char  the process of an anon folio (allocated at the first anon folio with an owner)
 *   head/tail    int[4] per list; pages per list, per zone and list, rss per owner
 * </pre>
 * New folios go to the head of an inactive list ({@code folio_add_lru}, mm/swap.c, 6.1); a read or write
 * of a page cache folio is {@code folio_mark_accessed} (referenced, then activated on the second use);
 * an anon folio is mapped, so a use sets its accessed bit (YOUNG) for {@code folio_referenced}. Writeback
 * cleans dirty folios and rotates those reclaim met dirty to the inactive tail
 * ({@code folio_rotate_reclaimable}).
 */
final class Lru {

    static final int NONE = ReclaimContext.NOT_ON_LRU;
    private static final int LISTS = 4;

    private final BuddyPageAllocator a;
    final byte[] state;
    private char[] owner;
    private final int[] head = new int[LISTS];
    private final int[] tail = new int[LISTS];
    final long[] pages = new long[LISTS];
    final long[] zonePages;
    private long[] ownerRss = new long[16];
    private int ownerLimit = 1;
    long dirtyPages;
    long filePages;
    long nrDirtied;
    long nrWritten;
    long workingsetRefault;
    long workingsetActivate;
    long workingsetRestore;
    /** {@code lruvec->nonresident_age} (mm/workingset.c 6.1): evictions and activations so far. */
    long nonresidentAge;
    /** PG_writeback, one bit per page (set on a folio's head page). */
    private final long[] writeback;
    long writebackPages;
    long nrVmscanWrite;
    long nrVmscanImmediate;
    /** The registered slab shrinkers ({@code shrinker_list}). */
    final java.util.List<io.kmemsim.api.reclaim.Shrinker> shrinkers = new java.util.ArrayList<>();
    final java.util.List<io.kmemsim.api.reclaim.Shrinker> shrinkersView = java.util.Collections.unmodifiableList(shrinkers);
    boolean flusherWoken;
    /** Set by the first {@link #add}: the vmstat LRU lines are printed from then on. */
    boolean used;
    ReclaimListener listener = (pfn, o, oom) -> { };

    Lru(BuddyPageAllocator a) {
        this.a = a;
        this.state = new byte[a.nPages];
        Arrays.fill(state, (byte) NONE);
        Arrays.fill(head, -1);
        Arrays.fill(tail, -1);
        this.zonePages = new long[a.zones.length * LISTS];
        this.writeback = new long[(a.nPages + 63) >>> 6];
    }

    /**
     * The shadow entry's eviction counter bits: 6.1 packs the counter with the memcg id, node and
     * PG_workingset into an xarray value ({@code pack_shadow}, mm/workingset.c), keeping
     * {@code BITS_PER_LONG - EVICTION_SHIFT} bits (with {@code bucket_order} 0 while the machine's pages fit
     * in them); kmemsim keeps 47 bits and PG_workingset in bit 0 (48 bits, {@link Event#SHADOW_MAX}).
     */
    static final long EVICTION_MASK = (1L << 47) - 1;

    boolean underWriteback(int idx) {
        return (writeback[idx >>> 6] & (1L << idx)) != 0;
    }

    private void setWriteback(int idx, boolean on) {
        if (on) {
            writeback[idx >>> 6] |= 1L << idx;
        } else {
            writeback[idx >>> 6] &= ~(1L << idx);
        }
    }

    /**
     * {@code workingset_eviction}: the shadow of the file folio at {@code idx} that reclaim is evicting (the
     * counter before it ages by the folio's pages, and PG_workingset), then {@code workingset_age_nonresident}.
     */
    long evictionShadow(int idx) {
        long eviction = nonresidentAge & EVICTION_MASK;
        nonresidentAge += 1L << a.order[idx];
        return eviction << 1 | ((state[idx] & ReclaimContext.WORKINGSET) != 0 ? 1 : 0);
    }

    /**
     * {@code workingset_refault} (mm/workingset.c 6.1) for a file folio read back in with {@code shadow}:
     * counts {@code workingset_refault_file}; when the refault distance (evictions and activations since
     * its eviction) is at most the active file list, the folio starts active ({@code workingset_activate_file},
     * the counter ages), and one that was in the workingset when evicted gets PG_workingset back
     * ({@code workingset_restore_file}). Without swap the anon lists do not count. Returns the flags to add.
     */
    int refault(long shadow, int o) {
        long n = 1L << o;
        workingsetRefault += n;
        long eviction = (shadow >>> 1) & EVICTION_MASK;
        long distance = (nonresidentAge - eviction) & EVICTION_MASK;
        long workingsetSize = pages[ReclaimContext.ACTIVE_FILE];
        if (distance > workingsetSize) {
            return 0;
        }
        nonresidentAge += n;
        workingsetActivate += n;
        if ((shadow & 1) != 0) {
            workingsetRestore += n;
            return ACTIVATE | ReclaimContext.WORKINGSET;
        }
        return ACTIVATE;
    }

    /** Returned by {@link #refault}: the folio goes to the active list. */
    private static final int ACTIVATE = 1 << 8;

    static boolean isFile(int lru) {
        return lru >= ReclaimContext.INACTIVE_FILE;
    }

    int list(int idx) {
        return state[idx] & ReclaimContext.LRU_MASK;
    }

    boolean onLru(int idx) {
        return list(idx) != NONE;
    }

    int owner(int idx) {
        return owner == null ? 0 : owner[idx];
    }

    int ownerLimit() {
        return ownerLimit;
    }

    long ownerPages(int o) {
        return o > 0 && o < ownerLimit ? ownerRss[o] : 0;
    }

    /** Puts the block just allocated at {@code idx} on the inactive list of its kind (the PAGE_ALLOC flags). */
    void add(int idx, int o, long pageFlags) {
        if (onLru(idx)) {
            throw new IllegalStateException("pfn 0x" + Long.toHexString(a.pfnOf(idx)) + " is already on an LRU list");
        }
        boolean file = (pageFlags & Event.PAGE_FILE) != 0;
        boolean anon = (pageFlags & Event.PAGE_ANON) != 0;
        if (file == anon) {
            throw new IllegalArgumentException("lruAdd flags must name exactly one of PAGE_FILE and PAGE_ANON: 0x"
                    + Long.toHexString(pageFlags));
        }
        used = true;
        int lru = file ? ReclaimContext.INACTIVE_FILE : ReclaimContext.INACTIVE_ANON;
        int flags = file ? ReclaimContext.REFERENCED : ReclaimContext.YOUNG;
        boolean dirty = file && (pageFlags & Event.PAGE_DIRTY) != 0;
        if (dirty) {
            flags |= ReclaimContext.DIRTY;
            dirtyPages += 1L << o;
            nrDirtied += 1L << o;
        }
        if (file) {
            filePages += 1L << o;
            // filemap_add_folio (mm/filemap.c 6.1) calls workingset_refault only for reads (no __GFP_WRITE)
            if ((pageFlags & Event.PAGE_REFAULT) != 0 && !dirty) {
                int r = refault(pageFlags >>> Event.SHADOW_SHIFT, o);
                if ((r & ACTIVATE) != 0) {
                    lru = ReclaimContext.ACTIVE_FILE;
                }
                flags |= r & ReclaimContext.WORKINGSET;
            }
        } else {
            int who = (int) ((pageFlags >>> Event.OWNER_SHIFT) & 0xffff);
            if (who > 0) {
                setOwner(idx, who, o);
            }
        }
        state[idx] = (byte) (lru | flags);
        linkHead(idx, lru);
    }

    private void setOwner(int idx, int who, int o) {
        if (owner == null) {
            owner = new char[a.nPages];
        }
        owner[idx] = (char) who;
        if (who >= ownerRss.length) {
            ownerRss = Arrays.copyOf(ownerRss, Math.max(who + 1, ownerRss.length * 2));
        }
        ownerRss[who] += 1L << o;
        ownerLimit = Math.max(ownerLimit, who + 1);
    }

    /** Takes the folio off its list and clears its LRU state (the block is being freed). */
    void remove(int idx) {
        int lru = list(idx);
        if (lru == NONE) {
            return;
        }
        int o = a.order[idx];
        unlink(idx, lru);
        if ((state[idx] & ReclaimContext.DIRTY) != 0) {
            dirtyPages -= 1L << o;
        }
        if (underWriteback(idx)) {
            setWriteback(idx, false);
            writebackPages -= 1L << o;
        }
        if (isFile(lru)) {
            filePages -= 1L << o;
        } else if (owner != null && owner[idx] != 0) {
            ownerRss[owner[idx]] -= 1L << o;
            owner[idx] = 0;
        }
        state[idx] = (byte) NONE;
    }

    /** Compaction moved the folio from {@code src} to {@code dst}: the destination takes its place on the list. */
    void migrate(int src, int dst) {
        int lru = list(src);
        if (lru == NONE) {
            return;
        }
        int p = a.lists.prev(src);
        int n = a.lists.next(src);
        a.lists.setLinks(dst, n, p);
        if (p < 0) {
            head[lru] = dst;
        } else {
            a.lists.setNext(p, dst);
        }
        if (n < 0) {
            tail[lru] = dst;
        } else {
            a.lists.setPrev(n, dst);
        }
        state[dst] = state[src];
        state[src] = (byte) NONE;
        if (underWriteback(src)) {
            setWriteback(src, false);
            setWriteback(dst, true);
        }
        if (owner != null) {
            owner[dst] = owner[src];
            owner[src] = 0;
        }
        a.lists.setLinks(src, -1, -1);
    }

    /** {@code folio_mark_accessed} for page cache, the accessed bit for anon; a write dirties a file folio. */
    void accessed(int idx, boolean write) {
        int lru = list(idx);
        if (lru == NONE) {
            return;
        }
        int s = state[idx];
        if (!isFile(lru)) {
            state[idx] = (byte) (s | ReclaimContext.YOUNG);
            return;
        }
        if (write && (s & ReclaimContext.DIRTY) == 0) {
            s |= ReclaimContext.DIRTY;
            dirtyPages += 1L << a.order[idx];
            nrDirtied += 1L << a.order[idx];
        }
        if ((s & ReclaimContext.REFERENCED) == 0) {
            s |= ReclaimContext.REFERENCED;
        } else if (lru == ReclaimContext.INACTIVE_FILE) {
            state[idx] = (byte) (s & ~ReclaimContext.REFERENCED);
            moveToHead(idx, ReclaimContext.ACTIVE_FILE);
            nonresidentAge += 1L << a.order[idx]; // folio_mark_accessed -> workingset_activation
            a.policyCounters.computeIfAbsent("pgactivate", k -> new long[1])[0] += 1L << a.order[idx];
            return;
        }
        state[idx] = (byte) s;
    }

    /**
     * The flusher ({@code wb_workfn}) or a sync: starts writeback of every dirty file folio — PG_dirty
     * cleared, PG_writeback set ({@code folio_clear_dirty_for_io}, {@code folio_start_writeback}); the I/O
     * completes at the next tick ({@link #endWriteback}).
     */
    void writebackAll() {
        flusherWoken = false;
        if (dirtyPages == 0) {
            return;
        }
        for (int lru = ReclaimContext.INACTIVE_FILE; lru <= ReclaimContext.ACTIVE_FILE; lru++) {
            for (int idx = tail[lru]; idx >= 0; idx = a.lists.prev(idx)) {
                if ((state[idx] & ReclaimContext.DIRTY) != 0) {
                    startWriteback(idx);
                }
            }
        }
    }

    /** PG_dirty to PG_writeback for one dirty folio. */
    void startWriteback(int idx) {
        long n = 1L << a.order[idx];
        state[idx] = (byte) (state[idx] & ~ReclaimContext.DIRTY);
        dirtyPages -= n;
        if (!underWriteback(idx)) {
            setWriteback(idx, true);
            writebackPages += n;
        }
    }

    /**
     * I/O completion, {@code folio_end_writeback} (mm/filemap.c 6.1): PG_writeback cleared, {@code nr_written};
     * a folio reclaim marked PG_reclaim loses it and, when clean, is rotated ({@code folio_rotate_reclaimable}
     * → {@code lru_move_tail_fn}, mm/swap.c: active cleared, to the tail of the inactive list, {@code pgrotated}).
     */
    void endWriteback() {
        if (writebackPages == 0) {
            return;
        }
        for (int lru = ReclaimContext.INACTIVE_FILE; lru <= ReclaimContext.ACTIVE_FILE; lru++) {
            int idx = tail[lru];
            while (idx >= 0) {
                int prevIdx = a.lists.prev(idx);
                if (underWriteback(idx)) {
                    long n = 1L << a.order[idx];
                    setWriteback(idx, false);
                    writebackPages -= n;
                    nrWritten += n;
                    int s = state[idx];
                    if ((s & ReclaimContext.RECLAIM) != 0) {
                        s &= ~ReclaimContext.RECLAIM;
                        state[idx] = (byte) s;
                        if ((s & ReclaimContext.DIRTY) == 0) {
                            unlink(idx, lru);
                            state[idx] = (byte) ((s & ~ReclaimContext.LRU_MASK) | ReclaimContext.INACTIVE_FILE);
                            linkTail(idx, ReclaimContext.INACTIVE_FILE);
                            a.policyCounters.computeIfAbsent("pgrotated", k -> new long[1])[0] += n;
                        }
                    }
                }
                idx = prevIdx;
            }
        }
    }

    /** Moves the folio to the head of {@code lru} (same kind). */
    void moveToHead(int idx, int lru) {
        int cur = list(idx);
        if (cur == NONE || isFile(cur) != isFile(lru) || lru < 0 || lru >= LISTS) {
            throw new IllegalArgumentException("pfn 0x" + Long.toHexString(a.pfnOf(idx)) + " cannot move from list "
                    + cur + " to list " + lru);
        }
        unlink(idx, cur);
        state[idx] = (byte) ((state[idx] & ~ReclaimContext.LRU_MASK) | lru);
        linkHead(idx, lru);
    }

    int tail(int lru) {
        return tail[lru];
    }

    private void linkHead(int idx, int lru) {
        int h = head[lru];
        a.lists.setLinks(idx, h, -1);
        if (h < 0) {
            tail[lru] = idx;
        } else {
            a.lists.setPrev(h, idx);
        }
        head[lru] = idx;
        account(idx, lru, 1);
    }

    private void linkTail(int idx, int lru) {
        int t = tail[lru];
        a.lists.setLinks(idx, -1, t);
        if (t < 0) {
            head[lru] = idx;
        } else {
            a.lists.setNext(t, idx);
        }
        tail[lru] = idx;
        account(idx, lru, 1);
    }

    private void unlink(int idx, int lru) {
        int p = a.lists.prev(idx);
        int n = a.lists.next(idx);
        if (p < 0) {
            head[lru] = n;
        } else {
            a.lists.setNext(p, n);
        }
        if (n < 0) {
            tail[lru] = p;
        } else {
            a.lists.setPrev(n, p);
        }
        a.lists.setLinks(idx, -1, -1);
        account(idx, lru, -1);
    }

    private void account(int idx, int lru, int sign) {
        long n = (long) sign << a.order[idx];
        pages[lru] += n;
        BuddyZone z = a.zoneOf(idx);
        zonePages[z.index * LISTS + lru] += n;
    }

    /** Checks the lists: links, membership, per-list, per-zone, dirty and owner counts. */
    void check() {
        long[] seen = new long[LISTS];
        long[] seenZone = new long[zonePages.length];
        long dirty = 0;
        long underWb = 0;
        long entries = 0;
        for (int lru = 0; lru < LISTS; lru++) {
            int prevIdx = -1;
            for (int idx = head[lru]; idx >= 0; idx = a.lists.next(idx)) {
                if (a.lists.prev(idx) != prevIdx) {
                    throw new IllegalStateException("LRU list " + lru + " at pfn 0x" + Long.toHexString(a.pfnOf(idx))
                            + ": prev link is " + a.lists.prev(idx) + ", expected " + prevIdx);
                }
                if (a.state(idx) != BuddyPageAllocator.ST_ALLOC || list(idx) != lru) {
                    throw new IllegalStateException("LRU list " + lru + " holds pfn 0x" + Long.toHexString(a.pfnOf(idx))
                            + ", which is not an allocated folio of that list");
                }
                long n = 1L << a.order[idx];
                seen[lru] += n;
                seenZone[a.zoneOf(idx).index * LISTS + lru] += n;
                dirty += (state[idx] & ReclaimContext.DIRTY) != 0 ? n : 0;
                underWb += underWriteback(idx) ? n : 0;
                prevIdx = idx;
                if (++entries > a.nPages) {
                    throw new IllegalStateException("LRU list " + lru + " has a cycle");
                }
            }
            if (tail[lru] != prevIdx) {
                throw new IllegalStateException("LRU list " + lru + ": tail is " + tail[lru] + ", expected " + prevIdx);
            }
        }
        if (!Arrays.equals(seen, pages) || !Arrays.equals(seenZone, zonePages) || dirty != dirtyPages
                || seen[2] + seen[3] != filePages || underWb != writebackPages) {
            throw new IllegalStateException("LRU counts " + Arrays.toString(pages) + " dirty " + dirtyPages
                    + " file " + filePages + " do not match the lists: " + Arrays.toString(seen) + " dirty " + dirty);
        }
        long onLru = 0;
        for (byte s : state) {
            onLru += (s & ReclaimContext.LRU_MASK) != NONE ? 1 : 0;
        }
        if (onLru != entries) {
            throw new IllegalStateException(onLru + " pages are marked on an LRU list, but the lists hold " + entries);
        }
    }

    /** Bytes of per-page state (docs/performance.md): the state byte and the PG_writeback bit, plus the owner char once anon owners exist. */
    long stateBytes() {
        return state.length + 8L * writeback.length + (owner == null ? 0 : 2L * owner.length);
    }
}
