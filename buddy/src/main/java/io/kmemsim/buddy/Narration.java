package io.kmemsim.buddy;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.Narrator;
import java.util.Locale;

/**
 * Turns the allocator's steps into sentences for a {@link Narrator} ({@code kmemsim explain}). The allocator
 * holds a {@code Narration} only while a narrator is set and calls it behind a null check, so an unnarrated
 * run pays one branch per step and allocates nothing; this class may allocate freely.
 *
 * <p>Functions are named as in Linux 6.1 {@code mm/page_alloc.c} (other versions renamed some of them, e.g.
 * {@code expand} became {@code page_del_and_expand} in 6.15); the rule applied is the allocator's version's.
 */
final class Narration {

    private static final String PA = "mm/page_alloc.c: ";
    private final Narrator narrator;
    private final BuddyPageAllocator a;

    Narration(Narrator narrator, BuddyPageAllocator a) {
        this.narrator = narrator;
        this.a = a;
    }

    /** True while a per-CPU refill takes its second and later blocks: those are summed up, not told one by one. */
    private boolean muted;
    private int refillLast = -1;
    private long lastFound = -1;

    private void say(String function, String format, Object... args) {
        if (muted) {
            return;
        }
        narrator.step(PA + function, String.format(Locale.ROOT, format, args));
    }

    private static String type(int mt) {
        return MigrateType.of(mt).printedName();
    }

    private String pfn(int idx) {
        return "0x" + Long.toHexString(a.pfnOf(idx));
    }

    void request(int o, int gfp, int mt, BuddyZone preferred, int watermark) {
        say("__alloc_pages()", "order-%d request, gfp 0x%x: migrate type %s (gfp_migratetype), preferred zone %s"
                        + " (gfp_zone), first attempt against the %s watermark",
                o, gfp, type(mt), preferred.name(), watermarkName(watermark));
    }

    void watermark(BuddyZone z, int o, int level, int highestZone, boolean ok) {
        String which = watermarkName(level);
        long mark = z.mark(level);
        long reserve = z.lowmemReserve[highestZone];
        say("zone_watermark_fast()", "zone %s: %d free pages, order %d, needs more than the %s mark %d + lowmem_reserve %d"
                        + " (and a free block of order >= %d for order > 0): %s",
                z.name(), z.freePages, o, which, mark, reserve, o, ok ? "passes" : "fails, next zone in the zonelist");
    }

    void skipZone(BuddyZone z) {
        say("get_page_from_freelist()", "zonelist walk: zone %s has no managed pages, skipped", z.name());
    }

    void pcpHit(int cpu, int o, int mt, int count) {
        say("rmqueue_pcplist()", "per-CPU list of cpu %d for order %d %s is not empty (%d pages on the cpu's lists):"
                + " take its head, no zone lock", cpu, o, type(mt), count);
    }

    void pcpRefillStart(int cpu, int o, int mt, int asked) {
        say("rmqueue_bulk()", "per-CPU list of cpu %d for order %d %s is empty: refill it with up to %d blocks"
                + " (the batch, scaled for the order), each taken by __rmqueue() under the zone lock; the first:",
                cpu, o, type(mt), asked);
    }

    /** A block of the refill was taken: the steps of the later ones are not told. */
    void pcpRefilled(int idx) {
        refillLast = idx;
        muted = true;
    }

    void pcpRefillEnd(int o, int got) {
        muted = false;
        if (got > 1) {
            say("rmqueue_bulk()", "took %d more block%s of order %d the same way (steps not shown), the last at pfn"
                    + " %s; %d blocks are now on the per-CPU list", got - 1, got == 2 ? "" : "s", o, pfn(refillLast), got);
        }
    }

    void listEmpty(int o, int mt) {
        say("__rmqueue_smallest()", "free_area[%d].free_list[%s] is empty: %s", o, type(mt),
                o < a.maxOrder ? "try order " + (o + 1) : "no larger order, no block of this type");
    }

    void listTake(int cur, int mt, int idx, int o) {
        say("__rmqueue_smallest()", "free_area[%d].free_list[%s]: take the head, block at pfn %s (%d page%s)%s",
                cur, type(mt), pfn(idx), 1 << cur, cur == 0 ? "" : "s", cur > o ? ", larger than asked: split it" : "");
    }

    void split(int buddyIdx, int high, int mt) {
        say("expand()", "split: the upper half at pfn %s, order %d, goes to the head of free_list[%s];"
                + " keep the lower half", pfn(buddyIdx), high, type(mt));
    }

    void fallback(int o, int mt) {
        lastFound = -1;
        say("__rmqueue_fallback()", "no %s block of order >= %d is free: the fallback policy searches the other"
                + " types' lists (fallbacks[%s]), largest order first", type(mt), o, type(mt));
    }

    void fallbackFound(int idx, int o, int mt) {
        long key = ((long) idx << 8) | (o << 3) | mt;
        if (key == lastFound) {
            return;
        }
        lastFound = key;
        say("find_suitable_fallback()", "free_area[%d].free_list[%s] has a free block at pfn %s%s", o, type(mt), pfn(idx),
                o >= a.pbo ? " of pageblock order or more: the whole range can be claimed (change_pageblock_range)"
                        : ", smaller than a pageblock: steal it, and claim its pageblock only if enough of it is free"
                        + " or compatible");
    }

    void fallbackTake(int idx, int blockOrder, int fromType, int remainderType, boolean claimed) {
        say("steal_suitable_fallback()", "take the %s block at pfn %s, order %d, for the request; its split halves go to"
                        + " free_list[%s]%s", type(fromType), pfn(idx), blockOrder, type(remainderType),
                claimed ? " (the pageblock was claimed)" : " (not claimed: the pageblock keeps its type, a steal)");
    }

    void claimWhole(int idx, int blockOrder, int mt) {
        say("steal_suitable_fallback()", "the free block at pfn %s is order %d >= pageblock_order %d: claim every"
                + " pageblock in it as %s", pfn(idx), blockOrder, a.pbo, type(mt));
    }

    void movedFree(int idx, int moved, int to) {
        say("move_freepages_block()", "moved %d free pages of the pageblock at pfn %s to free_list[%s]", moved,
                pfn(idx & -(1 << a.pbo)), type(to));
    }

    void retype(int idx, int from, int to) {
        say("set_pageblock_migratetype()", "the fallback policy claims the pageblock at pfn %s: its type changes"
                + " %s -> %s", pfn(idx & -(1 << a.pbo)), type(from), type(to));
    }

    void moveBlock(int idx, int o, int from, int to) {
        say("move_to_free_list()", "the free block at pfn %s, order %d, moves from free_list[%s] to the tail of"
                + " free_list[%s]", pfn(idx), o, type(from), type(to));
    }

    void alikePages(int pageblockStart, int movable) {
        say("steal_suitable_fallback()", "the pageblock at pfn %s holds %d allocated movable pages (the alike pages"
                + " counted, with its free pages, against half a pageblock, %d pages, to decide a claim)",
                pfn(pageblockStart), movable, 1 << (a.pbo - 1));
    }

    void extfrag(long pfnValue, int o, int fallbackOrder, boolean fragmenting, boolean changeOwnership) {
        if (muted) {
            return;
        }
        narrator.step("include/trace/events/kmem.h: mm_page_alloc_extfrag", String.format(Locale.ROOT,
                "external fragmentation event: pfn 0x%x, alloc order %d, fallback order %d, fragmenting=%d"
                        + " (1 when the fallback order is below pageblock_order %d), change_ownership=%d (%s)", pfnValue, o,
                fallbackOrder, fragmenting ? 1 : 0, a.pbo, changeOwnership ? 1 : 0,
                changeOwnership ? "the pageblock now has the requested type: claimed"
                        : "the pageblock keeps its type: a steal"));
    }

    void allocated(int idx, int o) {
        say("__alloc_pages()", "allocated pfn %s, order %d", pfn(idx), o);
    }

    void failed(int o) {
        say("__alloc_pages()", "order-%d request failed: no zone had a free block (the slow path ran)", o);
    }

    void free(int idx, int o, boolean viaPcp) {
        say(viaPcp ? "free_unref_page()" : "__free_pages_ok()", "free pfn %s, order %d: %s", pfn(idx), o,
                viaPcp ? "a per-CPU list order, goes to the cpu's list" : "not a per-CPU list order, back to the buddy lists");
    }

    void pcpFree(int cpu, int count, int high) {
        say("free_unref_page_commit()", "cpu %d's per-CPU lists now hold %d pages, high %d%s", cpu, count, high,
                count >= high ? ": over high, free a batch back to the buddy lists (free_pcppages_bulk)" : "");
    }

    void merge(int idx, int buddy, int o) {
        say("__free_one_page()", "buddy of pfn %s at order %d is pfn %s (pfn ^ (1 << %d)): free, same order, merge;"
                + " the combined block starts at pfn %s, order %d", pfn(idx), o, pfn(buddy), o, pfn(idx & buddy), o + 1);
    }

    void mergeStop(int idx, int buddy, int o, String why) {
        say("__free_one_page()", "buddy of pfn %s at order %d is pfn %s: %s; stop merging", pfn(idx), o, pfn(buddy), why);
    }

    void insert(int idx, int o, int mt, boolean tail) {
        say("__free_one_page()", "put pfn %s, order %d, at the %s of free_area[%d].free_list[%s]%s", pfn(idx), o,
                tail ? "tail" : "head", o, type(mt), tail ? " (buddy_merge_likely: the next larger buddy is free)" : "");
    }

    private static String watermarkName(int w) {
        return switch (w) {
            case AllocFlags.WMARK_MIN -> "min";
            case AllocFlags.WMARK_LOW -> "low";
            case AllocFlags.WMARK_HIGH -> "high";
            default -> "no";
        };
    }
}
