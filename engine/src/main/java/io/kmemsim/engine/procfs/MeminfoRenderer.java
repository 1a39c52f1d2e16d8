package io.kmemsim.engine.procfs;

import io.kmemsim.api.mm.WatermarkLevel;
import io.kmemsim.api.mm.Zone;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code /proc/meminfo} as 6.1's {@code meminfo_proc_show} (fs/proc/meminfo.c) prints it: the
 * label padded to 16 columns, the value in kB right-aligned in 8 columns ({@code show_val_kb}:
 * {@code seq_put_decimal_ull_width(.., 8)}, wider values widen the line), then {@code " kB"}; lines in the
 * kernel's order.
 *
 * <p>This is a fragment of the real file, like the vmstat fragment: only the lines kmemsim models are
 * printed — MemTotal ({@code totalram_pages}: the zones' managed pages), MemFree ({@code NR_FREE_PAGES}),
 * MemAvailable ({@code si_mem_available}, mm/page_alloc.c: free minus {@code totalreserve_pages}, plus the
 * file LRU and the reclaimable slab each less {@code min(half, Σ low watermarks)}), Buffers (0: kmemsim's
 * page cache has no block-device pages), Cached (file pages less buffers; no swap cache), SwapCached, the LRU lines, Unevictable, SwapTotal/SwapFree
 * (the boards have no swap), Dirty, Writeback, AnonPages, the slab lines when the run reports slab pages,
 * and CmaTotal/CmaFree when the machine has CMA. Mapped, Shmem, page tables, vmalloc, percpu,
 * huge pages and DirectMap are not modelled and not printed.
 */
public final class MeminfoRenderer {

    private MeminfoRenderer() {
    }

    /**
     * What the file is made of, in pages.
     *
     * @param buffers           {@code nr_blockdev_pages} (block device page cache; 0 in kmemsim's runs)
     * @param slabReclaimable   {@code NR_SLAB_RECLAIMABLE_B} in pages, or −1 when the run reports no slab pages
     * @param cmaTotal          CMA pages of the zones, or −1 without {@code CONFIG_CMA} (its lines are omitted)
     * @param totalreserve      {@code totalreserve_pages} ({@link #totalreservePages})
     * @param wmarkLow          Σ {@code low_wmark_pages(zone)} (with boost)
     */
    public record Inputs(long totalram, long free, long buffers, long inactiveAnon, long activeAnon, long inactiveFile, long activeFile,
                         long filePages, long dirty, long writeback, long anonMapped, long slabReclaimable,
                         long slabUnreclaimable, long kernelMiscReclaimable, long totalreserve, long wmarkLow,
                         long cmaTotal, long cmaFree, int pageShift) {
    }

    /**
     * {@code calculate_totalreserve_pages} (mm/page_alloc.c, 6.1): per zone the largest {@code lowmem_reserve}
     * towards it or higher zones plus its high watermark, capped by its managed pages.
     */
    public static long totalreservePages(List<? extends Zone> zones) {
        int n = zones.size();
        long[] managed = new long[n];
        long[] high = new long[n];
        long[][] reserve = new long[n][n];
        for (int i = 0; i < n; i++) {
            Zone z = zones.get(i);
            managed[i] = z.managedPages();
            high[i] = z.watermark(WatermarkLevel.HIGH);
            for (int j = 0; j < n; j++) {
                reserve[i][j] = z.lowmemReserve(j);
            }
        }
        return totalreservePages(managed, high, reserve);
    }

    /** {@link #totalreservePages(List)} from the zones' managed pages, high watermarks and {@code lowmem_reserve} rows. */
    public static long totalreservePages(long[] managed, long[] high, long[][] lowmemReserve) {
        long total = 0;
        for (int i = 0; i < managed.length; i++) {
            long max = 0;
            for (int j = i; j < lowmemReserve[i].length; j++) {
                max = Math.max(max, lowmemReserve[i][j]);
            }
            total += Math.min(max + high[i], managed[i]);
        }
        return total;
    }

    /** The inputs of a simulated node: its zones and its vmstat counters (as {@link VmstatRenderer} prints them). */
    public static Inputs inputs(List<? extends Zone> zones, Map<String, Long> vmstat, boolean configCma, int pageShift) {
        long totalram = 0;
        long wmarkLow = 0;
        long cma = 0;
        for (Zone z : zones) {
            totalram += z.managedPages();
            wmarkLow += z.watermark(WatermarkLevel.LOW) + z.watermarkBoost();
            cma += z.cmaPages();
        }
        long slabR = vmstat.containsKey("nr_slab_reclaimable") ? vmstat.get("nr_slab_reclaimable") : -1;
        return new Inputs(totalram, get(vmstat, "nr_free_pages"), 0, get(vmstat, "nr_inactive_anon"),
                get(vmstat, "nr_active_anon"), get(vmstat, "nr_inactive_file"), get(vmstat, "nr_active_file"),
                get(vmstat, "nr_file_pages"), get(vmstat, "nr_dirty"), get(vmstat, "nr_writeback"),
                get(vmstat, "nr_anon_pages"), slabR, get(vmstat, "nr_slab_unreclaimable"),
                get(vmstat, "nr_kernel_misc_reclaimable"), totalreservePages(zones), wmarkLow,
                configCma ? cma : -1, get(vmstat, "nr_free_cma"), pageShift);
    }

    private static long get(Map<String, Long> m, String k) {
        return m.getOrDefault(k, 0L);
    }

    /** {@code si_mem_available} (mm/page_alloc.c, 6.1), in pages. */
    public static long memAvailable(Inputs in) {
        long available = in.free() - in.totalreserve();
        long pagecache = in.activeFile() + in.inactiveFile();
        pagecache -= Math.min(pagecache / 2, in.wmarkLow());
        available += pagecache;
        long reclaimable = Math.max(in.slabReclaimable(), 0) + in.kernelMiscReclaimable();
        available += reclaimable - Math.min(reclaimable / 2, in.wmarkLow());
        return Math.max(available, 0);
    }

    /** The file. */
    public static String render(Inputs in) {
        StringBuilder sb = new StringBuilder(1024);
        int shift = in.pageShift() - 10;
        line(sb, "MemTotal:", in.totalram(), shift);
        line(sb, "MemFree:", in.free(), shift);
        line(sb, "MemAvailable:", memAvailable(in), shift);
        line(sb, "Buffers:", in.buffers(), shift);
        line(sb, "Cached:", Math.max(in.filePages() - in.buffers(), 0), shift);
        line(sb, "SwapCached:", 0, shift);
        line(sb, "Active:", in.activeAnon() + in.activeFile(), shift);
        line(sb, "Inactive:", in.inactiveAnon() + in.inactiveFile(), shift);
        line(sb, "Active(anon):", in.activeAnon(), shift);
        line(sb, "Inactive(anon):", in.inactiveAnon(), shift);
        line(sb, "Active(file):", in.activeFile(), shift);
        line(sb, "Inactive(file):", in.inactiveFile(), shift);
        line(sb, "Unevictable:", 0, shift);
        line(sb, "SwapTotal:", 0, shift);
        line(sb, "SwapFree:", 0, shift);
        line(sb, "Dirty:", in.dirty(), shift);
        line(sb, "Writeback:", in.writeback(), shift);
        line(sb, "AnonPages:", in.anonMapped(), shift);
        if (in.slabReclaimable() >= 0) {
            line(sb, "KReclaimable:", in.slabReclaimable() + in.kernelMiscReclaimable(), shift);
            line(sb, "Slab:", in.slabReclaimable() + in.slabUnreclaimable(), shift);
            line(sb, "SReclaimable:", in.slabReclaimable(), shift);
            line(sb, "SUnreclaim:", in.slabUnreclaimable(), shift);
        }
        if (in.cmaTotal() >= 0) {
            line(sb, "CmaTotal:", in.cmaTotal(), shift);
            line(sb, "CmaFree:", in.cmaFree(), shift);
        }
        return sb.toString();
    }

    /** {@code show_val_kb}: the label padded to 16 columns, the kB value right-aligned in 8. */
    static void line(StringBuilder sb, String label, long pages, int shift) {
        sb.append(label);
        for (int i = label.length(); i < 16; i++) {
            sb.append(' ');
        }
        String v = Long.toString(pages << shift);
        for (int i = v.length(); i < 8; i++) {
            sb.append(' ');
        }
        sb.append(v).append(" kB\n");
    }
}
