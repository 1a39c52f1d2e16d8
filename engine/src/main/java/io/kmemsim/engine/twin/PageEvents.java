package io.kmemsim.engine.twin;

import io.kmemsim.engine.trace.TraceEventType;
import io.kmemsim.engine.trace.TraceReader;
import io.kmemsim.engine.trace.TraceRecord;
import java.util.Arrays;

/**
 * The page-level events of a trace, read once and kept as parallel primitive arrays so the twin can pass
 * over them several times (start-state inference, exact replay, policy replay) without re-parsing.
 *
 * <p>Notes: {@code arg} holds {@code percpu_refill} for {@code mm_page_alloc_zone_locked} and
 * {@code change_ownership} for {@code mm_page_alloc_extfrag}; {@code mt} is the event's (alloc) migrate
 * type. A failed {@code mm_page_alloc} has pfn −1.
 */
final class PageEvents {

    static final byte ALLOC = 0;
    static final byte FREE = 1;
    static final byte ZONE_LOCKED = 2;
    static final byte DRAIN = 3;
    static final byte EXTFRAG = 4;

    int size;
    byte[] type = new byte[1 << 12];
    byte[] order = new byte[1 << 12];
    byte[] mt = new byte[1 << 12];
    byte[] arg = new byte[1 << 12];
    /** {@code fallback_migratetype} of {@code mm_page_alloc_extfrag}, else −1. */
    byte[] mt2 = new byte[1 << 12];
    /** {@code fallback_order} of {@code mm_page_alloc_extfrag}, else −1. */
    byte[] fallbackOrder = new byte[1 << 12];
    short[] cpu = new short[1 << 12];
    int[] gfp = new int[1 << 12];
    long[] pfn = new long[1 << 12];
    long[] time = new long[1 << 12];
    long[] line = new long[1 << 12];
    /** Records of other kinds (slab objects, batched frees), by type, for the report. */
    final long[] otherByType = new long[TraceEventType.values().length];
    /** The slab object events ({@code kmem_cache_alloc/free}, {@code kmalloc/kfree}), for the slab twin. */
    final SlabEvents slab = new SlabEvents();

    /** Reads every record of {@code reader}. */
    static PageEvents read(TraceReader reader) {
        PageEvents ev = new PageEvents();
        TraceRecord r = new TraceRecord();
        while (reader.next(r)) {
            byte t = switch (r.type()) {
                case MM_PAGE_ALLOC -> ALLOC;
                case MM_PAGE_FREE -> FREE;
                case MM_PAGE_ALLOC_ZONE_LOCKED -> ZONE_LOCKED;
                case MM_PAGE_PCPU_DRAIN -> DRAIN;
                case MM_PAGE_ALLOC_EXTFRAG -> EXTFRAG;
                default -> -1;
            };
            if (t < 0) {
                ev.otherByType[r.type().ordinal()]++;
                ev.slab.accept(r);
                continue;
            }
            int arg = t == ZONE_LOCKED ? r.percpuRefill() : t == EXTFRAG ? r.changeOwnership() : 0;
            ev.add(t, r.pfn(), r.order(), r.migratetype(), arg, r.cpu(), r.gfp(), r.timeNanos(), r.lineNumber());
            ev.mt2[ev.size - 1] = (byte) (t == EXTFRAG ? r.fallbackMigratetype() : -1);
            ev.fallbackOrder[ev.size - 1] = (byte) (t == EXTFRAG ? r.fallbackOrder() : -1);
        }
        return ev;
    }

    void add(byte t, long p, int o, int m, int a, int c, int g, long ns, long ln) {
        if (size == type.length) {
            int n = size * 2;
            type = Arrays.copyOf(type, n);
            order = Arrays.copyOf(order, n);
            mt = Arrays.copyOf(mt, n);
            arg = Arrays.copyOf(arg, n);
            mt2 = Arrays.copyOf(mt2, n);
            fallbackOrder = Arrays.copyOf(fallbackOrder, n);
            cpu = Arrays.copyOf(cpu, n);
            gfp = Arrays.copyOf(gfp, n);
            pfn = Arrays.copyOf(pfn, n);
            time = Arrays.copyOf(time, n);
            line = Arrays.copyOf(line, n);
        }
        type[size] = t;
        mt2[size] = -1;
        fallbackOrder[size] = -1;
        pfn[size] = p;
        order[size] = (byte) o;
        mt[size] = (byte) m;
        arg[size] = (byte) a;
        cpu[size] = (short) c;
        gfp[size] = g;
        time[size] = ns;
        line[size] = ln;
        size++;
    }

    /**
     * Per event: a free of a per-CPU order whose block went straight to the buddy lists. 6.1
     * {@code mm/page_alloc.c: free_unref_page()} frees through {@code free_one_page()}, with no per-CPU list
     * and no {@code mm_page_pcpu_drain}, when {@code pcp_spin_trylock} fails (a free from an interrupt that
     * came while its CPU held the list's lock, e.g. a softirq free). The trace shows it afterwards: a page on
     * a per-CPU list leaves it only by {@code mm_page_alloc} or a traced drain, so a freed page whose next
     * event is a buddy-list take ({@code mm_page_alloc_zone_locked}, or the fallback block of an
     * {@code mm_page_alloc_extfrag}), of its own block or a larger one around it, was never on a list.
     *
     * @param pcpOrder which orders the kernel keeps on per-CPU lists
     */
    boolean[] freesToBuddy(java.util.function.IntPredicate pcpOrder) {
        boolean[] direct = new boolean[size];
        it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap next = io.kmemsim.engine.util.LongMaps.create(1 << 16, -1);
        for (int i = size - 1; i >= 0; i--) {
            long p = pfn[i];
            int o = order[i];
            if (p < 0 || o < 0) {
                continue;
            }
            byte t = type[i];
            if (t == FREE && pcpOrder.test(o)) {
                long n = next.get(p);
                direct[i] = n == ZONE_LOCKED || n == EXTFRAG;
            }
            int span = t == EXTFRAG ? 1 << Math.max(0, fallbackOrder[i]) : 1 << o;
            for (int k = 0; k < span; k++) {
                next.put(p + k, t);
            }
        }
        return direct;
    }

    /** Successful {@code mm_page_alloc} events. */
    long allocations() {
        long n = 0;
        for (int i = 0; i < size; i++) {
            n += type[i] == ALLOC && pfn[i] >= 0 ? 1 : 0;
        }
        return n;
    }
}
