package io.kmemsim.engine.twin.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 *       trampoline one (one page each; {@code SEGMENT_ALIGN} is 64K). x86_64 reserves
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
 *       ACPI tables, percpu and e820 metadata — not printed. Measured as the remainder on the bench runs:
 *       arm64 {@code ceil((199300 + 1100 × cpus) / 4096) − 5} pages (the 1100 bytes per CPU are the device
 *       tree's cpu and cpu-map nodes, estimated; the 5 pages are released later by an unidentified path),
 *       x86_64 582 pages (one run: NR_CPUS=8192, NODES_SHIFT=10).</li>
 * </ul>
 * Released late (after the watermarks): arm64 {@code Freeing unused kernel memory} (the init section) and
 * the initrd; x86_64 the initmem, the text/rodata and rodata/data gaps, the unused decrypted memory and the
 * initrd. x86's {@code Freeing SMP alternatives memory} happens before the initcalls, so those pages are
 * managed when the watermarks are computed.
 */
final class ReservationModel {

    static final long KIB = 1024;
    static final long MIB = 1L << 20;
    private static final long SZ_64K = 64 * KIB;
    private static final long SZ_2M = 2 * MIB;
    private static final Pattern IOMEM = Pattern.compile("^\\s*([0-9a-fA-F]+)-([0-9a-fA-F]+) : (.+)$");

    enum Arch { ARM64, X86_64 }

    final List<Reservation> reserved = new ArrayList<>();
    final List<Reservation> late = new ArrayList<>();
    private final Memblock memblock;
    private final DmesgFacts d;
    private final ConfigFacts config;
    private final int cpus;
    private final long pageBytes;
    private final long ramStart;
    private final long ramEnd;

    private ReservationModel(DmesgFacts d, ConfigFacts config, int cpus, long pageBytes) {
        this.d = d;
        this.config = config;
        this.cpus = cpus;
        this.pageBytes = pageBytes;
        this.memblock = new Memblock(d.nodeRanges);
        this.ramStart = d.nodeRanges.get(0).start();
        this.ramEnd = d.nodeRanges.get(d.nodeRanges.size() - 1).end();
    }

    static ReservationModel of(Arch arch, DmesgFacts d, ConfigFacts config, int cpus, long pageBytes, List<String> iomem) {
        ReservationModel m = new ReservationModel(d, config, cpus, pageBytes);
        if (arch == Arch.ARM64) {
            m.arm64(iomem);
        } else {
            m.x86(iomem);
        }
        m.reserved.sort((a, b) -> Long.compare(a.base(), b.base()));
        return m;
    }

    // ---------------------------------------------------------------- arm64

    private void arm64(List<String> iomem) {
        DmesgFacts.MemoryLine ml = d.memory;
        int pgdirs = config.enabled("CONFIG_UNMAP_KERNEL_AT_EL0", true) ? 4 : 3;
        long textRo = align(ml.codeK() * KIB + ml.rodataK() * KIB + pgdirs * pageBytes, SZ_64K);
        long init = ml.initK() * KIB;
        long data = align(ml.rwdataK() * KIB + ml.bssK() * KIB, SZ_64K);
        long imageBase = iomemStart(iomem, "Kernel code").orElse(ramStart + SZ_2M + SZ_64K);
        fixed("kernel image", imageBase, textRo + init + data, "Memory: line sizes, arm64 vmlinux.lds.S layout"
                + " (64K segments, " + pgdirs + " page directories)");
        late.add(new Reservation("init section", imageBase + textRo, init, "Freeing unused kernel memory (free_initmem)"));
        long initrdFreed = d.freedK("initrd") * KIB;
        if (initrdFreed > 0) {
            long base = ramStart + 128 * MIB;
            fixed("initrd", base, initrdFreed + pageBytes, "Freeing initrd memory + the partial last page");
            late.add(new Reservation("initrd", base, initrdFreed, "Freeing initrd memory"));
            boolean virt = d.machineModel.equals("linux,dummy-virt");
            fixed("device tree", align(base + initrdFreed + pageBytes, SZ_2M), virt ? MIB : 256 * KIB,
                    virt ? "QEMU virt's 1 MiB flattened device tree" : "estimate: 256 KiB flattened device tree");
        }
        commonFixed();
        linearMapTables();
        other((long) Math.ceil((199300.0 + 1100.0 * cpus) / 4096) - 5, "measured remainder on QEMU arm64 6.1.192"
                + " (NODE_DATA, mem_section, usemaps, unflattened device tree, percpu metadata)");
        commonTopDown();
    }

    private void linearMapTables() {
        long entries = pageBytes / 8;
        long pte = entries * pageBytes;
        long pmd = pte * entries;
        long pud = pmd * entries;
        boolean pages = config.enabled("CONFIG_RODATA_FULL_DEFAULT_ENABLED", true);
        long tables = 1;
        for (DmesgFacts.Range r : d.nodeRanges) {
            tables += (pages ? touched(r, pte) : 0) + touched(r, pmd) + touched(r, pud);
        }
        top("linear map page tables", tables * pageBytes, pageBytes, "arm64 map_mem(): "
                + (pages ? "page-granular (rodata_full)" : "block") + " mappings of every memblock region");
    }

    private static long touched(DmesgFacts.Range r, long block) {
        return (r.end() - 1) / block - r.start() / block + 1;
    }

    // ---------------------------------------------------------------- x86_64

    private void x86(List<String> iomem) {
        DmesgFacts.MemoryLine ml = d.memory;
        fixed("low memory", 0, MIB, "x86 reserves all RAM below 1 MiB (arch/x86/kernel/setup.c)");
        long start;
        long end;
        String rule;
        long code = iomemStart(iomem, "Kernel code").orElse(-1);
        long bssEnd = iomemEnd(iomem, "Kernel bss").orElse(-1);
        if (code >= 0 && bssEnd > code) {
            start = code;
            end = align(bssEnd, pageBytes);
            rule = "/proc/iomem Kernel code … Kernel bss";
        } else {
            start = 16 * MIB;
            long decrypted = d.freedK("unused decrypted") * KIB;
            end = start + align(ml.codeK() * KIB, SZ_2M) + align(ml.rodataK() * KIB, SZ_2M)
                    + align((ml.rwdataK() + ml.initK() + ml.bssK()) * KIB + decrypted, SZ_2M) + SZ_2M;
            rule = "estimate from the Memory: line (2 MiB-aligned text, rodata, data; +2 MiB) at 16 MiB";
        }
        long smpAlt = d.freedK("SMP alternatives") * KIB;
        fixed("kernel image", start, end - start - smpAlt, rule + (smpAlt > 0 ? ", less the SMP alternatives freed"
                + " before the initcalls" : ""));
        long inside = start;
        for (String what : List.of("unused kernel image (initmem)", "unused kernel image (text/rodata gap)",
                "unused kernel image (rodata/data gap)", "unused decrypted")) {
            long bytes = d.freedK(what) * KIB;
            if (bytes > 0) {
                late.add(new Reservation(what, inside, bytes, "Freeing " + what + " memory"));
                inside += bytes;
            }
        }
        if (d.ramdisk != null) {
            fixed("initrd", d.ramdisk.start(), d.ramdisk.size(), "RAMDISK: line");
            late.add(new Reservation("initrd", d.ramdisk.start(), Math.min(d.ramdisk.size(), d.freedK("initrd") * KIB),
                    "Freeing initrd memory"));
        }
        commonFixed();
        other(582, "measured remainder on QEMU amd64 6.1.192 (page tables, NODE_DATA, e820 and percpu metadata)");
        commonTopDown();
    }

    // ---------------------------------------------------------------- shared

    private void commonFixed() {
        if (d.cma != null) {
            fixed("cma", d.cma.start(), d.cma.size(), "cma: Reserved line");
        }
        if (d.swiotlb != null) {
            fixed("swiotlb", d.swiotlb.start(), d.swiotlb.size(), "software IO TLB line");
        }
        if (d.crashkernel != null) {
            fixed("crashkernel", d.crashkernel.start(), d.crashkernel.size(), "crashkernel line");
        }
    }

    private void commonTopDown() {
        long sectionBytes = 128 * MIB;
        long sections = presentSections(sectionBytes);
        long perSection = (sectionBytes / pageBytes) * 64;
        top("memmap", sections * perSection, Math.min(perSection, SZ_2M),
                sections + " present sections × " + perSection / KIB + " KiB of struct page");
        if (d.logBufBytes > 0) {
            long n = d.logBufBytes;
            top("printk buffer", n + (n / 32) * 24 + (n / 32) * 88, pageBytes, "log_buf_len " + n
                    + ": text + descriptors + printk_info");
        }
        if (d.percpuPagesPerCpu > 0) {
            top("percpu", (long) d.percpuPagesPerCpu * pageBytes * cpus, pageBytes,
                    "percpu: Embedded " + d.percpuPagesPerCpu + " pages/cpu × " + cpus + " CPUs");
        }
        if (d.earlyHashBytes > 0) {
            top("early hash tables", d.earlyHashBytes, pageBytes, "hash table lines before the Memory: line");
        }
    }

    private long presentSections(long sectionBytes) {
        long count = 0;
        long last = -1;
        for (DmesgFacts.Range r : d.nodeRanges) {
            long first = r.start() / sectionBytes;
            long end = (r.end() - 1) / sectionBytes;
            count += end - Math.max(first, last + 1) + 1;
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

    private void other(long pages, String rule) {
        top("other early allocations", pages * pageBytes, pageBytes, String.format(Locale.ROOT, "%s: %d pages", rule, pages));
    }

    private static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }

    private static java.util.OptionalLong iomemStart(List<String> iomem, String name) {
        return iomemField(iomem, name, 1);
    }

    private static java.util.OptionalLong iomemEnd(List<String> iomem, String name) {
        java.util.OptionalLong e = iomemField(iomem, name, 2);
        return e.isPresent() ? java.util.OptionalLong.of(e.getAsLong() + 1) : e;
    }

    private static java.util.OptionalLong iomemField(List<String> iomem, String name, int group) {
        if (iomem == null) {
            return java.util.OptionalLong.empty();
        }
        for (String l : iomem) {
            Matcher m = IOMEM.matcher(l);
            if (m.matches() && m.group(3).trim().equals(name)) {
                return java.util.OptionalLong.of(Long.parseLong(m.group(group), 16));
            }
        }
        return java.util.OptionalLong.empty();
    }
}
