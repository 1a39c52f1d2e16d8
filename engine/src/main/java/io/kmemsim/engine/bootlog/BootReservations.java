package io.kmemsim.engine.bootlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The kernel's boot reservations of a machine, from its boot lines: what is memblock-reserved when
 * {@code memblock_free_all()} hands the rest to the buddy allocator (6.1 {@code mm/memblock.c}), where each
 * piece sits (which decides its zone), and what is released later ({@code free_initmem}, the initrd).
 *
 * <p>Notes — the rules, kernel 6.1 (each checked on the bench runs, see docs/fidelity-boot.md):
 * <ul>
 *   <li><b>kernel image</b>: arm64 reserves {@code [_stext, _end)} ({@code arch/arm64/mm/init.c:
 *       arm64_memblock_init()}). Its size follows from the {@code Memory:} line and the arm64 linker script:
 *       {@code ALIGN(code + rodata + pgdirs, 64K) + init + ALIGN(rwdata + bss, 64K)}, where pgdirs are the
 *       idmap, reserved and swapper page directories and, with {@code CONFIG_UNMAP_KERNEL_AT_EL0}, the
 *       trampoline one (one page each; {@code SEGMENT_ALIGN} is 64K), less {@code init_pg_dir} (5 pages with
 *       4K pages), which {@code paging_init()} frees before the hand-over. x86_64 reserves
 *       {@code [_text, __end_of_kernel_reserve)}: taken from {@code /proc/iomem}'s Kernel code…bss lines when
 *       the bundle has them, else estimated as {@code ALIGN(code,2M) + ALIGN(rodata,2M) + ALIGN(rwdata + init
 *       + bss + decrypted, 2M) + 2M} (the 2 MiB: percpu section, brk and alignment, measured on 6.1.192).</li>
 *   <li><b>memmap</b>: 64 bytes of {@code struct page} per page of every present sparsemem section
 *       (128 MiB sections with 4K pages; {@code mm/sparse.c: sparse_init_nid()}), allocated top-down.</li>
 *   <li><b>printk buffer</b> when {@code log_buf_len=} enlarged it ({@code printk: log_buf_len: N bytes}):
 *       the text buffer plus N/32 descriptors of 24 bytes and N/32 {@code printk_info} of 88 bytes
 *       ({@code kernel/printk/printk.c: setup_log_buf()}), 4.5 N in all.</li>
 *   <li><b>early hash tables</b>: the {@code … hash table entries: … bytes} lines printed before the
 *       {@code Memory:} line (dentry and inode caches, {@code alloc_large_system_hash()}).</li>
 *   <li><b>percpu</b>: {@code percpu: Embedded N pages/cpu} × possible CPUs (the unit's unused tail is
 *       returned before the hand-over: {@code mm/percpu.c: pcpu_embed_first_chunk()}).</li>
 *   <li><b>CMA</b>, <b>swiotlb</b>, <b>crashkernel</b>, x86 <b>initrd</b>: at the place their boot lines
 *       print. CMA pages become managed at core_initcall ({@code mm/cma.c: cma_activate_area()}) and are
 *       counted by the page allocator as CMA.</li>
 *   <li><b>arm64 linear map page tables</b> ({@code arch/arm64/mm/mmu.c: map_mem()}, top of RAM): with
 *       {@code CONFIG_RODATA_FULL_DEFAULT_ENABLED} the linear map uses pages, so one PTE table per 2 MiB
 *       touched, one PMD table per 1 GiB, one PUD table per 512 GiB, plus one page.</li>
 *   <li><b>arm64 initrd</b>: reserved pages = freed pages ({@code Freeing initrd memory}) + 1 (the partial
 *       last page {@code free_reserved_area} keeps); placed at RAM + 128 MiB (QEMU's and U-Boot's usual
 *       place; only its zone matters). <b>DTB</b>: 1 MiB for QEMU's {@code linux,dummy-virt} (its
 *       {@code fdt_totalsize}), 256 KiB otherwise (an estimate).</li>
 *   <li><b>x86 low memory</b>: all RAM below 1 MiB ({@code arch/x86/kernel/setup.c}: the first 1 MiB is
 *       reserved unconditionally).</li>
 *   <li><b>other early allocations</b>: NODE_DATA, mem_section, usemaps, the unflattened device tree or
 *       ACPI tables, percpu and e820 metadata — not printed one by one. When the boot log is at hand, the
 *       {@code Memory:} line gives the total: its {@code reserved} plus {@code cma-reserved} figures are
 *       exactly the pages reserved at {@code mem_init} (6.1 {@code mm/page_alloc.c: mem_init_print_info()}
 *       prints {@code physpages - totalram_pages() - totalcma_pages}, and {@code totalram_pages} already
 *       counts the deferred pages), so the remainder is that total less the named parts. Without a log
 *       (presets) the remainders measured on the bench runs are used: arm64
 *       {@code ceil((199300 + 1100 × cpus) / 4096)} pages (1100 bytes per CPU for the device tree's cpu
 *       and cpu-map nodes is an estimate), x86_64 582 pages (NR_CPUS=8192, NODES_SHIFT=10).</li>
 * </ul>
 * Released late (after the watermarks): arm64 {@code Freeing unused kernel memory} (the init section) and
 * the initrd; x86_64 the initmem, the text/rodata and rodata/data gaps, the unused decrypted memory and the
 * initrd. x86's {@code Freeing SMP alternatives memory} happens before the initcalls, so those pages are
 * managed when the watermarks are computed.
 */
public final class BootReservations {

    static final long KIB = 1024;
    static final long MIB = 1L << 20;
    private static final long SZ_64K = 64 * KIB;
    private static final long SZ_2M = 2 * MIB;
    /** The name of the remainder reservation. */
    public static final String OTHER = "other early allocations";

    final List<Reservation> reserved = new ArrayList<>();
    final List<Reservation> late = new ArrayList<>();
    /** Pages reserved at mem_init but freed before the watermarks (x86 SMP alternatives). */
    long earlyFreedPages;
    private final Memblock memblock;
    private final BootInputs in;
    private final long pageBytes;
    private final long ramStart;
    private final long ramEnd;

    private BootReservations(BootInputs in) {
        this.in = in;
        this.pageBytes = in.pageBytes();
        this.memblock = new Memblock(in.ram());
        this.ramStart = in.ram().get(0)[0];
        this.ramEnd = in.ram().get(in.ram().size() - 1)[1];
    }

    /**
     * The reservations of a boot.
     *
     * @throws IllegalStateException when they do not fit in the RAM
     */
    public static BootReservations of(BootInputs in) {
        BootReservations m = new BootReservations(in);
        if (in.arch() == BootInputs.Arch.ARM64) {
            m.arm64();
        } else {
            m.x86();
        }
        m.reserved.sort((a, b) -> Long.compare(a.base(), b.base()));
        return m;
    }

    /** What is reserved when the buddy allocator takes over, in address order. */
    public List<Reservation> reserved() {
        return List.copyOf(reserved);
    }

    /** What is released after the watermarks were computed. */
    public List<Reservation> late() {
        return List.copyOf(late);
    }

    /** RAM pages reserved when {@code mem_init} prints the {@code Memory:} line (CMA included; holes not counted). */
    public long pagesAtMemInit() {
        long sum = earlyFreedPages;
        for (Reservation r : reserved) {
            long first = r.base() / pageBytes;
            long end = (r.base() + r.size() + pageBytes - 1) / pageBytes;
            for (long[] ram : in.ram()) {
                sum += Math.max(0, Math.min(end, ram[1] / pageBytes) - Math.max(first, ram[0] / pageBytes));
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------- arm64

    private void arm64() {
        int pgdirs = in.kpti() ? 4 : 3;
        long textRo = align(in.codeK() * KIB + in.rodataK() * KIB + pgdirs * pageBytes, SZ_64K);
        long init = in.initK() * KIB;
        long data = align(in.rwdataK() * KIB + in.bssK() * KIB, SZ_64K);
        long imageBase = in.imageStart().orElse(ramStart + SZ_2M + SZ_64K);
        // init_pg_dir, the early kernel page tables after bss, goes back to memblock in paging_init(), before
        // the hand-over (6.1 arch/arm64/mm/mmu.c; INIT_DIR_SIZE in asm/kernel-pgtable.h: with 4K pages and
        // 48-bit VA the swapper has 3 levels, EARLY_PAGES = 1 + 2 PGD + 2 PMD entries with KASLR = 5 pages)
        long initPgDir = pageBytes == 4 * KIB ? 5 * pageBytes : 0;
        fixed("kernel image", imageBase, textRo + init + data - initPgDir, "Memory: line sizes, arm64 vmlinux.lds.S"
                + " layout (64K segments, " + pgdirs + " page directories), less init_pg_dir");
        late.add(new Reservation("init section", imageBase + textRo, init, "Freeing unused kernel memory (free_initmem)"));
        long initrdFreed = in.freed("initrd");
        boolean virt = in.machineModel().equals("linux,dummy-virt");
        long dtbBase = ramStart + 128 * MIB;
        if (initrdFreed > 0) {
            fixed("initrd", dtbBase, initrdFreed + pageBytes, "Freeing initrd memory + the partial last page");
            late.add(new Reservation("initrd", dtbBase, initrdFreed, "Freeing initrd memory"));
            dtbBase = align(dtbBase + initrdFreed + pageBytes, SZ_2M);
        }
        fixed("device tree", dtbBase, virt ? MIB : 256 * KIB,
                virt ? "QEMU virt's 1 MiB flattened device tree" : "estimate: 256 KiB flattened device tree");
        fixedFromInputs();
        linearMapTables();
        commonTopDown();
        other((long) Math.ceil((199300.0 + 1100.0 * in.cpus()) / 4096), "measured remainder on QEMU arm64 6.1.192"
                + " (NODE_DATA, mem_section, usemaps, unflattened device tree, percpu metadata)");
    }

    private void linearMapTables() {
        long entries = pageBytes / 8;
        long pte = entries * pageBytes;
        long pmd = pte * entries;
        long pud = pmd * entries;
        long tables = 1;
        for (long[] r : in.ram()) {
            tables += (in.rodataFull() ? touched(r, pte) : 0) + touched(r, pmd) + touched(r, pud);
        }
        top("linear map page tables", tables * pageBytes, pageBytes, "arm64 map_mem(): "
                + (in.rodataFull() ? "page-granular (rodata_full)" : "block") + " mappings of every memblock region");
    }

    private static long touched(long[] r, long block) {
        return (r[1] - 1) / block - r[0] / block + 1;
    }

    // ---------------------------------------------------------------- x86_64

    private void x86() {
        fixed("low memory", 0, MIB, "x86 reserves all RAM below 1 MiB (arch/x86/kernel/setup.c)");
        long start;
        long end;
        String rule;
        if (in.imageStart().isPresent() && in.imageEnd().isPresent()) {
            start = in.imageStart().getAsLong();
            end = align(in.imageEnd().getAsLong(), pageBytes);
            rule = "/proc/iomem Kernel code … Kernel bss";
        } else {
            start = 16 * MIB;
            long decrypted = in.freed("unused decrypted");
            end = start + align(in.codeK() * KIB, SZ_2M) + align(in.rodataK() * KIB, SZ_2M)
                    + align((in.rwdataK() + in.initK() + in.bssK()) * KIB + decrypted, SZ_2M) + SZ_2M;
            rule = "estimate from the Memory: line (2 MiB-aligned text, rodata, data; +2 MiB) at 16 MiB";
        }
        long smpAlt = in.freed("SMP alternatives");
        earlyFreedPages = smpAlt / pageBytes;
        fixed("kernel image", start, end - start - smpAlt, rule + (smpAlt > 0 ? ", less the SMP alternatives freed"
                + " before the initcalls" : ""));
        long inside = start;
        for (String what : List.of("unused kernel image (initmem)", "unused kernel image (text/rodata gap)",
                "unused kernel image (rodata/data gap)", "unused decrypted")) {
            long bytes = in.freed(what);
            if (bytes > 0) {
                late.add(new Reservation(what, inside, bytes, "Freeing " + what + " memory"));
                inside += bytes;
            }
        }
        fixedFromInputs();
        for (Reservation r : in.fixed()) {
            if (r.name().equals("initrd")) {
                late.add(new Reservation("initrd", r.base(), Math.min(r.size(), in.freed("initrd")), "Freeing initrd memory"));
            }
        }
        commonTopDown();
        other(582, "measured remainder on QEMU amd64 6.1.192 (page tables, NODE_DATA, e820 and percpu metadata)");
    }

    // ---------------------------------------------------------------- shared

    private void fixedFromInputs() {
        for (Reservation r : in.fixed()) {
            fixed(r.name(), r.base(), r.size(), r.rule());
        }
    }

    private void commonTopDown() {
        long sectionBytes = (pageBytes == 64 * KIB ? 512 : 128) * MIB;
        long sections = presentSections(sectionBytes);
        long perSection = (sectionBytes / pageBytes) * 64;
        top("memmap", sections * perSection, Math.min(perSection, SZ_2M),
                sections + " present sections × " + perSection / KIB + " KiB of struct page");
        if (in.logBufBytes() > 0) {
            long n = in.logBufBytes();
            top("printk buffer", n + (n / 32) * 24 + (n / 32) * 88, pageBytes, "log_buf_len " + n
                    + ": text + descriptors + printk_info");
        }
        if (in.percpuPagesPerCpu() > 0) {
            top("percpu", (long) in.percpuPagesPerCpu() * pageBytes * in.cpus(), pageBytes,
                    "percpu: Embedded " + in.percpuPagesPerCpu() + " pages/cpu × " + in.cpus() + " CPUs");
        }
        if (in.earlyHashBytes() > 0) {
            top("early hash tables", in.earlyHashBytes(), pageBytes, "hash table entries lines before the Memory: line");
        }
    }

    private long presentSections(long sectionBytes) {
        long count = 0;
        long last = -1;
        for (long[] r : in.ram()) {
            long first = r[0] / sectionBytes;
            long end = (r[1] - 1) / sectionBytes;
            count += Math.max(0, end - Math.max(first, last + 1) + 1);
            last = Math.max(last, end);
        }
        return count;
    }

    private void fixed(String name, long base, long size, String rule) {
        reserved.add(new Reservation(name, base, size, rule));
        memblock.reserve(base, size);
    }

    private void top(String name, long size, long align, String rule) {
        if (size <= 0) {
            return;
        }
        long base = memblock.allocTopDown(align(size, pageBytes), align, ramEnd);
        reserved.add(new Reservation(name, base, size, rule));
    }

    /** The remainder: from the Memory: line's total when known, else the measured default. */
    private void other(long defaultPages, String defaultRule) {
        if (in.reservedTotal().isPresent()) {
            long named = pagesAtMemInit();
            long pages = in.reservedTotal().getAsLong() - named;
            if (pages > 0) {
                top(OTHER, pages * pageBytes, pageBytes, String.format(Locale.ROOT, "the Memory: line's reserved +"
                        + " cma-reserved (%d pages) less the named parts: %d pages", in.reservedTotal().getAsLong(), pages));
            }
            return;
        }
        top(OTHER, defaultPages * pageBytes, pageBytes, String.format(Locale.ROOT, "%s: %d pages", defaultRule, defaultPages));
    }

    private static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }
}
