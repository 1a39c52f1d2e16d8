package io.kmemsim.engine.twin.boot;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel's boot log says about memory, read from {@code dmesg.txt}: the zone ranges and memblock
 * node ranges (6.1 {@code mm/page_alloc.c: free_area_init()}), the {@code Memory:} line
 * ({@code mem_init_print_info()}), and the boot allocations and late frees it prints (CMA, swiotlb,
 * crashkernel, percpu, printk buffer, early hash tables, initrd, {@code Freeing …} lines). Timestamps
 * ({@code [    0.000000] }) are optional. Every number is kept as printed; nothing is estimated here.
 */
final class DmesgFacts {

    /** One {@code [mem a-b]} range, {@code end} exclusive. */
    record Range(long start, long end) {
        long size() {
            return end - start;
        }
    }

    /** The sizes in KiB of the {@code Memory:} line. */
    record MemoryLine(long availableK, long totalK, long codeK, long rwdataK, long rodataK, long initK, long bssK,
                      long reservedK, long cmaK, int line) {
    }

    private static final Pattern STAMP = Pattern.compile("^\\[\\s*\\d+\\.\\d+\\]\\s?");
    private static final Pattern MEM = Pattern.compile("\\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\\]");
    private static final Pattern ZONE = Pattern.compile("^\\s+(DMA|DMA32|Normal|Device)\\s+(empty|\\[mem .*\\])\\s*$");
    private static final Pattern NODE = Pattern.compile("^\\s+node\\s+(\\d+): \\[mem .*\\]\\s*$");
    private static final Pattern MEMORY = Pattern.compile("^Memory: (\\d+)K/(\\d+)K available \\((\\d+)K kernel code,"
            + " (\\d+)K rwdata, (\\d+)K rodata, (\\d+)K init, (\\d+)K bss, (\\d+)K reserved, (\\d+)K cma-reserved\\)");
    private static final Pattern CMA = Pattern.compile("^cma: Reserved (\\d+) MiB at (0x[0-9a-fA-F]+)");
    private static final Pattern PERCPU = Pattern.compile("^percpu: Embedded (\\d+) pages/cpu");
    private static final Pattern HASH = Pattern.compile("hash table entries: \\d+ \\(order: -?\\d+, (\\d+) bytes");
    private static final Pattern LOG_BUF = Pattern.compile("^printk: log_buf_len: (\\d+) bytes");
    private static final Pattern FREEING = Pattern.compile("^Freeing (.+?) memory: (\\d+)K");
    private static final Pattern SWIOTLB = Pattern.compile("^software IO TLB: mapped \\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\\]");
    private static final Pattern CRASH_ARM64 = Pattern.compile("^crashkernel reserved: (0x[0-9a-fA-F]+) - (0x[0-9a-fA-F]+)");
    private static final Pattern CRASH_X86 = Pattern.compile("^Reserving (\\d+)MB of memory at (\\d+)MB for crashkernel");
    private static final Pattern RAMDISK = Pattern.compile("^RAMDISK: \\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\\]");
    /**
     * x86 moves an initrd that lies outside the directly mapped RAM (e.g. above a {@code mem=} limit): 6.1
     * {@code arch/x86/kernel/setup.c: relocate_initrd()} reserves {@code PAGE_ALIGN(size)} at the new place and prints
     * its first and last byte; the old range is freed.
     */
    private static final Pattern RAMDISK_MOVED = Pattern.compile("^Allocated new RAMDISK: \\[mem (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)\\]");

    final String source;
    /** Zone name as printed → range, or null for {@code empty}; in print order. */
    final Map<String, Range> zones = new LinkedHashMap<>();
    final List<Range> nodeRanges = new ArrayList<>();
    final List<Integer> nodeIds = new ArrayList<>();
    MemoryLine memory;
    Range cma;
    Range swiotlb;
    Range crashkernel;
    Range ramdisk;
    /** Whether the firmware has DMI/SMBIOS tables ({@code DMI: …} line): x86 copies them into the brk area. */
    boolean dmi;
    int percpuPagesPerCpu;
    long earlyHashBytes;
    long logBufBytes;
    String machineModel = "";
    String commandLine = "";
    /** {@code Freeing X memory: NK} lines: X → KiB (summed when repeated). */
    final Map<String, Long> freed = new LinkedHashMap<>();
    /** Line numbers of the blocks, for messages. */
    int zoneRangesLine;

    private DmesgFacts(String source) {
        this.source = source;
    }

    static DmesgFacts parse(String source, List<String> lines) {
        DmesgFacts f = new DmesgFacts(source);
        f.read(lines);
        f.check();
        return f;
    }

    private void read(List<String> lines) {
        int block = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = STAMP.matcher(lines.get(i)).replaceFirst("");
            int no = i + 1;
            if (l.startsWith("Zone ranges:")) {
                block = 1;
                zoneRangesLine = no;
                continue;
            }
            if (l.startsWith("Early memory node ranges")) {
                block = 2;
                continue;
            }
            if (block == 1) {
                Matcher m = ZONE.matcher(l);
                if (m.matches()) {
                    zones.put(m.group(1), m.group(2).equals("empty") ? null : mem(m.group(2), no));
                    continue;
                }
                block = 0;
            } else if (block == 2) {
                Matcher m = NODE.matcher(l);
                if (m.matches()) {
                    nodeIds.add(Integer.parseInt(m.group(1)));
                    nodeRanges.add(mem(l, no));
                    continue;
                }
                block = 0;
            }
            line(l, no);
        }
    }

    private void line(String l, int no) {
        Matcher m;
        if ((m = MEMORY.matcher(l)).find() && memory == null) {
            memory = new MemoryLine(num(m, 1), num(m, 2), num(m, 3), num(m, 4), num(m, 5), num(m, 6), num(m, 7),
                    num(m, 8), num(m, 9), no);
        } else if ((m = CMA.matcher(l)).find()) {
            long base = Long.decode(m.group(2));
            cma = new Range(base, base + (num(m, 1) << 20));
        } else if ((m = PERCPU.matcher(l)).find()) {
            percpuPagesPerCpu = (int) num(m, 1);
        } else if ((m = HASH.matcher(l)).find() && memory == null) {
            earlyHashBytes += num(m, 1);
        } else if ((m = LOG_BUF.matcher(l)).find()) {
            logBufBytes = num(m, 1);
        } else if ((m = FREEING.matcher(l)).find()) {
            freed.merge(m.group(1), num(m, 2), Long::sum);
        } else if ((m = SWIOTLB.matcher(l)).find()) {
            // 6.1 kernel/dma/swiotlb.c: swiotlb_print_info() prints io_tlb_mem's end, which is start + bytes:
            // unlike the other [mem …] lines, its end is exclusive
            swiotlb = new Range(Long.decode(m.group(1)), Long.decode(m.group(2)));
        } else if ((m = CRASH_ARM64.matcher(l)).find()) {
            crashkernel = new Range(Long.decode(m.group(1)), Long.decode(m.group(2)));
        } else if ((m = CRASH_X86.matcher(l)).find()) {
            long at = num(m, 2) << 20;
            crashkernel = new Range(at, at + (num(m, 1) << 20));
        } else if ((m = RAMDISK_MOVED.matcher(l)).find()) {
            long at = Long.decode(m.group(1));
            long bytes = Long.decode(m.group(2)) + 1 - at;
            ramdisk = new Range(at, at + (bytes + 4095) / 4096 * 4096);
        } else if ((m = RAMDISK.matcher(l)).find() && ramdisk == null) {
            ramdisk = new Range(Long.decode(m.group(1)), Long.decode(m.group(2)) + 1);
        } else if (l.startsWith("DMI: ")) {
            dmi = true;
        } else if (l.startsWith("Machine model: ")) {
            machineModel = l.substring("Machine model: ".length()).trim();
        } else if (l.startsWith("Kernel command line: ")) {
            commandLine = l.substring("Kernel command line: ".length()).trim();
        }
    }

    private Range mem(String text, int no) {
        Matcher m = MEM.matcher(text);
        if (!m.find()) {
            throw new InputException(new InputProblem(source, no, 0, "", "expected a range '[mem 0xSTART-0xEND]': " + text.trim()));
        }
        return new Range(Long.decode(m.group(1)), Long.decode(m.group(2)) + 1);
    }

    private static long num(Matcher m, int group) {
        return Long.parseLong(m.group(group));
    }

    private void check() {
        List<InputProblem> problems = new ArrayList<>();
        if (zones.isEmpty()) {
            problems.add(new InputProblem(source, 0, 0, "Zone ranges", "no 'Zone ranges:' block with zone lines: the"
                    + " boot log must reach back to the start of boot (a large enough log buffer, dmesg right after boot)"));
        }
        if (nodeRanges.isEmpty()) {
            problems.add(new InputProblem(source, 0, 0, "Early memory node ranges", "no 'Early memory node ranges' block"
                    + " with '  node N: [mem …]' lines: the machine's RAM cannot be derived"));
        }
        if (memory == null) {
            problems.add(new InputProblem(source, 0, 0, "Memory:", "no 'Memory: …K/…K available (… kernel code, …)'"
                    + " line: the kernel image sizes cannot be derived"));
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
    }
}
