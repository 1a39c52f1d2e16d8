package io.kmemsim.bench.trace;

import io.kmemsim.api.kernel.Gfp;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.engine.trace.BinaryTraceWriter;
import io.kmemsim.engine.trace.FtraceTextWriter;
import io.kmemsim.engine.trace.TraceFormat;
import io.kmemsim.engine.trace.TraceReader;
import io.kmemsim.engine.trace.TraceRecord;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A deterministic, realistic-looking {@code kmem} trace for benchmarks, written by the engine's own
 * {@link FtraceTextWriter} in the format of the chosen kernel (6.1: irq-flags column {@code .....}, hex
 * {@code pfn=0x…}, symbolic {@code gfp_flags}, {@code node=} and {@code accounted=} on slab events).
 *
 * <p>Two mixes ({@link Mix}): {@code PAGES} has only {@code mm_page_alloc}/{@code mm_page_free} (what a
 * buddy replay consumes); {@code KMEM} is a whole {@code kmem:*} recording: page events, the allocator's
 * internal {@code mm_page_alloc_zone_locked}/{@code mm_page_pcpu_drain}, {@code kmalloc}/{@code kfree}
 * and {@code kmem_cache_alloc}/{@code kmem_cache_free} on eight named caches. The proportions, order
 * and gfp mixes are illustrative (not measured from a real machine).
 *
 * <p>Every free names a block that is live in the trace (frees follow a FIFO of live blocks of at most
 * {@value #LIVE_BLOCKS} entries, kept half full on average), and the last lines free whatever is still
 * live, so a replay of the whole trace ends with what it started with. 8 CPUs; 0–3 µs between lines.
 */
public final class TraceCorpus {

    /** What kinds of events the trace has. */
    public enum Mix { PAGES, KMEM }

    /** Live page blocks (and, separately, live objects) at most. */
    public static final int LIVE_BLOCKS = 8192;

    private static final int HEADER_LINES = 4;
    private static final long PFN_BASE = 0x10000;
    private static final long PFN_END = 0x200000;
    private static final long PTR_BASE = 0xffff000080000000L;
    private static final long CALL_SITE = 0xffff800008200000L;

    private static final int[] ORDERS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 9};
    private static final String[] CACHES = {"dentry", "filp", "inode_cache", "task_struct", "buffer_head",
        "vm_area_struct", "anon_vma_chain", "radix_tree_node"};
    private static final int[] CACHE_SIZE = {192, 232, 600, 4416, 104, 152, 64, 576};
    private static final int[] CACHE_ALLOC = {192, 256, 608, 4480, 104, 152, 64, 576};
    private static final int[] KMALLOC_CLASSES = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};

    private final KernelVersion kernel;
    private final Mix mix;
    private final SplittableRandom random;
    private final int[] order0Gfp;
    private final int[] highOrderGfp;
    private final int[] slabGfp;
    private final long[] pagePfn = new long[LIVE_BLOCKS];
    private final int[] pageOrder = new int[LIVE_BLOCKS];
    private final long[] objPtr = new long[LIVE_BLOCKS];
    private final int[] objCache = new int[LIVE_BLOCKS];
    private int pageHead;
    private int pageLive;
    private int objHead;
    private int objLive;
    private long pfnCursor = PFN_BASE;
    private long objects;
    private long now = 1000L * 1_000_000_000L;

    private TraceCorpus(KernelVersion kernel, Mix mix, long seed) {
        this.kernel = kernel;
        this.mix = mix;
        this.random = new SplittableRandom(seed);
        int atomic = Gfp.gfpAtomic(kernel);
        int nowait = Gfp.gfpNowait(kernel);
        this.order0Gfp = new int[] {
            Gfp.GFP_HIGHUSER_MOVABLE | Gfp.ZERO, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.ZERO, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.ZERO,
            Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL, Gfp.GFP_KERNEL_ACCOUNT | Gfp.ZERO,
            atomic, nowait | Gfp.NOWARN, Gfp.GFP_KERNEL | Gfp.RECLAIMABLE, Gfp.GFP_NOFS};
        this.highOrderGfp = new int[] {
            Gfp.GFP_KERNEL | Gfp.COMP | Gfp.NOWARN | Gfp.NORETRY | Gfp.NOMEMALLOC,
            Gfp.GFP_KERNEL | Gfp.COMP, Gfp.GFP_KERNEL_ACCOUNT | Gfp.COMP | Gfp.ZERO,
            atomic | Gfp.COMP | Gfp.NOWARN, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.COMP};
        this.slabGfp = new int[] {Gfp.GFP_KERNEL, Gfp.GFP_KERNEL, Gfp.GFP_KERNEL | Gfp.ZERO, Gfp.GFP_KERNEL_ACCOUNT,
            atomic, nowait | Gfp.NOWARN, Gfp.GFP_NOFS | Gfp.ZERO};
    }

    /**
     * Writes a trace of exactly {@code lines} lines (4 header lines, the rest events) to {@code out}.
     *
     * @param kernel the kernel whose trace format to write, e.g. "6.1"
     * @param seed   the seed of every random choice
     */
    public static void write(Writer out, String kernel, Mix mix, int lines, long seed) {
        if (lines < HEADER_LINES + 1) {
            throw new IllegalArgumentException("lines must be >= " + (HEADER_LINES + 1) + ": " + lines);
        }
        TraceCorpus corpus = new TraceCorpus(KernelVersion.parse(kernel), mix, seed);
        FtraceTextWriter writer = new FtraceTextWriter(out, corpus.kernel, () -> corpus.now);
        writer.header(EightGigMachine.CPUS);
        int events = lines - HEADER_LINES;
        for (int i = 0; i < events; i++) {
            corpus.now += 1000L * corpus.random.nextInt(4);
            corpus.line(writer, events - i);
        }
        writer.close();
    }

    /** The trace of {@link #write} as UTF-8 bytes. */
    public static byte[] text(String kernel, Mix mix, int lines, long seed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(lines * 140);
        write(new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), 1 << 16), kernel, mix, lines, seed);
        return bytes.toByteArray();
    }

    /** Converts ftrace {@code text} of {@code kernel} to kmemsim's binary format (as {@code kmemsim trace convert} does). */
    public static byte[] binary(byte[] text, String kernel) {
        KernelVersion k = KernelVersion.parse(kernel);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length / 8);
        TraceRecord r = new TraceRecord();
        try (TraceReader in = TraceFormat.text(new ByteArrayInputStream(text), "corpus", k,
                io.kmemsim.engine.trace.TraceReadOptions.DEFAULT);
             BinaryTraceWriter out = new BinaryTraceWriter(bytes, k)) {
            while (in.next(r)) {
                out.write(r);
            }
        }
        return bytes.toByteArray();
    }

    /** A character reader of {@code text} (UTF-8, 64 KiB buffer), for benchmarks of line splitting alone. */
    public static BufferedReader reader(byte[] text) {
        return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(text), StandardCharsets.UTF_8), 1 << 16);
    }

    /** One event line; {@code remaining} lines are left including this one. */
    private void line(FtraceTextWriter w, int remaining) {
        int cpu = random.nextInt(EightGigMachine.CPUS);
        if (pageLive + objLive >= remaining) { // drain: free everything still live
            if (pageLive > 0) {
                freePage(w, cpu);
            } else {
                freeObject(w, cpu);
            }
            return;
        }
        int what = mix == Mix.PAGES ? 0 : random.nextInt(100);
        if (what < 30) {
            if (pageLive == 0 || (pageLive < LIVE_BLOCKS && random.nextBoolean())) {
                allocPage(w, cpu);
            } else {
                freePage(w, cpu);
            }
        } else if (what < 38) {
            long pfn = PFN_BASE + random.nextLong(PFN_END - PFN_BASE);
            int mt = random.nextInt(3);
            if (what < 34) {
                w.pageAllocZoneLocked(pfn, 0, MigrateType.of(mt), true, cpu);
            } else {
                w.pagePcpuDrain(pfn, 0, MigrateType.of(mt), cpu);
            }
        } else if (objLive == 0 || (objLive < LIVE_BLOCKS && random.nextBoolean())) {
            allocObject(w, cpu, what < 80);
        } else {
            freeObject(w, cpu);
        }
    }

    private void allocPage(FtraceTextWriter w, int cpu) {
        int order = ORDERS[random.nextInt(ORDERS.length)];
        int gfp = order == 9 ? Gfp.GFP_TRANSHUGE_LIGHT
                : order == 0 ? order0Gfp[random.nextInt(order0Gfp.length)] : highOrderGfp[random.nextInt(highOrderGfp.length)];
        long size = 1L << order;
        long pfn = (pfnCursor + size - 1) & -size;
        if (pfn + size > PFN_END) {
            pfn = PFN_BASE;
        }
        pfnCursor = pfn + size;
        int slot = (pageHead + pageLive) % LIVE_BLOCKS;
        pagePfn[slot] = pfn;
        pageOrder[slot] = order;
        pageLive++;
        w.pageAlloc(pfn, order, Gfp.migrateType(gfp), gfp, cpu);
    }

    private void freePage(FtraceTextWriter w, int cpu) {
        w.pageFree(pagePfn[pageHead], pageOrder[pageHead], cpu);
        pageHead = (pageHead + 1) % LIVE_BLOCKS;
        pageLive--;
    }

    private void allocObject(FtraceTextWriter w, int cpu, boolean kmalloc) {
        long ptr = PTR_BASE + 64 * objects++;
        int gfp = slabGfp[random.nextInt(slabGfp.length)];
        long site = CALL_SITE + 4 * random.nextInt(4096);
        int slot = (objHead + objLive) % LIVE_BLOCKS;
        objPtr[slot] = ptr;
        objLive++;
        if (kmalloc) {
            int alloc = KMALLOC_CLASSES[random.nextInt(KMALLOC_CLASSES.length)];
            long req = Math.max(1, alloc - random.nextInt(alloc / 2 + 1));
            objCache[slot] = -1;
            w.kmalloc(site, ptr, req, alloc, gfp, cpu);
        } else {
            int c = random.nextInt(CACHES.length);
            objCache[slot] = c;
            w.kmemCacheAlloc(site, ptr, CACHE_SIZE[c], CACHE_ALLOC[c], gfp, CACHES[c], cpu);
        }
    }

    private void freeObject(FtraceTextWriter w, int cpu) {
        long ptr = objPtr[objHead];
        int c = objCache[objHead];
        long site = CALL_SITE + 4 * random.nextInt(4096);
        objHead = (objHead + 1) % LIVE_BLOCKS;
        objLive--;
        if (c < 0) {
            w.kfree(site, ptr, cpu);
        } else {
            w.kmemCacheFree(site, ptr, CACHES[c], cpu);
        }
    }
}
