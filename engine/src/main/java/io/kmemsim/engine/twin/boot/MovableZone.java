package io.kmemsim.engine.twin.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the kernel starts ZONE_MOVABLE for {@code kernelcore=} and {@code movablecore=}, by the 6.1 rule:
 * {@code mm/page_alloc.c: cmdline_parse_core()} reads each either as a percentage of all memory ({@code N%}) or as
 * a {@code memparse()} size (K, M, G, T, ...), the last one given winning; {@code find_zone_movable_pfns_for_nodes()}
 * turns a percentage into pages of {@code early_calculate_totalpages()} (the pages of every memblock memory range),
 * rounds {@code movablecore} up to a MAX_ORDER block and makes {@code kernelcore} at least what it leaves, then
 * spreads {@code kernelcore} over the nodes from the lowest PFN up (pages below the lowest PFN of the zone
 * ZONE_MOVABLE is taken from count as kernelcore), and rounds each node's start up to a MAX_ORDER block; a start at
 * or beyond the node's end means no Movable zone on that node. {@code kernelcore=mirror} and {@code movable_node}
 * are not modelled (no Movable zone).
 */
final class MovableZone {

    private MovableZone() {
    }

    /** One memblock memory range of a node in page frames, end exclusive. */
    record PfnRange(int node, long start, long end) {
    }

    /** {@code kernelcore=} or {@code movablecore=} as given: pages, or a percentage (then {@code pages} is 0). */
    record Core(long pages, long percent) {
        static final Core NONE = new Core(0, 0);
    }

    private static final Pattern SIZE = Pattern.compile("(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\\d*)([kKmMgGtTpPeE]?)");
    private static final Pattern PERCENT = Pattern.compile("(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\\d*)%.*");

    /**
     * The value of the last {@code NAME=} on the command line as the 6.1 kernel parses it; {@link Core#NONE} when
     * absent, malformed (the kernel's {@code memparse()} then reads 0) or {@code kernelcore=mirror}.
     */
    static Core parse(String commandLine, String name, int pageShift) {
        Core core = Core.NONE;
        String key = name + "=";
        for (String arg : commandLine.trim().split("\\s+")) {
            if (!arg.startsWith(key)) {
                continue;
            }
            String v = arg.substring(key.length());
            Matcher p = PERCENT.matcher(v);
            if (p.matches()) {
                core = new Core(0, number(p.group(1)));
                continue;
            }
            Matcher m = SIZE.matcher(v);
            if (m.lookingAt()) {
                int shift = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                    case "K" -> 10;
                    case "M" -> 20;
                    case "G" -> 30;
                    case "T" -> 40;
                    case "P" -> 50;
                    case "E" -> 60;
                    default -> 0;
                };
                core = new Core((number(m.group(1)) << shift) >>> pageShift, 0);
            } else {
                core = Core.NONE;
            }
        }
        return core;
    }

    private static long number(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            return Long.parseLong(text.substring(2), 16);
        }
        if (text.length() > 1 && text.startsWith("0")) {
            return Long.parseLong(text.substring(1), 8);
        }
        return Long.parseLong(text);
    }

    /**
     * The first PFN of ZONE_MOVABLE per node (only nodes that get one).
     *
     * @param kernelcore     {@code kernelcore=}
     * @param movablecore    {@code movablecore=}
     * @param ranges         the memblock memory ranges ({@code Early memory node ranges}), ascending
     * @param usableStartPfn the lowest PFN of the zone ZONE_MOVABLE is taken from (the highest populated zone)
     * @param maxOrderPages  pages of a MAX_ORDER block
     */
    static Map<Integer, Long> startPfns(Core kernelcore, Core movablecore, List<PfnRange> ranges, long usableStartPfn,
                                        long maxOrderPages) {
        Map<Integer, Long> result = new LinkedHashMap<>();
        long totalPages = 0;
        List<Integer> nodes = new ArrayList<>();
        for (PfnRange r : ranges) {
            totalPages += r.end() - r.start();
            if (!nodes.contains(r.node())) {
                nodes.add(r.node());
            }
        }
        long requiredKernel = kernelcore.percent() > 0 ? totalPages * 100 * kernelcore.percent() / 10000 : kernelcore.pages();
        long requiredMovable = movablecore.percent() > 0 ? totalPages * 100 * movablecore.percent() / 10000
                : movablecore.pages();
        if (requiredMovable > 0) {
            requiredMovable = Math.min(totalPages, (requiredMovable + maxOrderPages - 1) / maxOrderPages * maxOrderPages);
            requiredKernel = Math.max(requiredKernel, totalPages - requiredMovable);
        }
        if (requiredKernel == 0 || requiredKernel >= totalPages) {
            return result;
        }
        Map<Integer, Long> movablePfn = new LinkedHashMap<>();
        for (int n : nodes) {
            movablePfn.put(n, 0L);
        }
        int usableNodes = nodes.size();
        do {
            long perNode = requiredKernel / usableNodes;
            for (int nid : nodes) {
                if (requiredKernel < perNode) {
                    perNode = requiredKernel / usableNodes;
                }
                long remaining = perNode;
                for (PfnRange r : ranges) {
                    if (r.node() != nid) {
                        continue;
                    }
                    long start = Math.max(r.start(), movablePfn.get(nid));
                    long end = r.end();
                    if (start >= end) {
                        continue;
                    }
                    if (start < usableStartPfn) {
                        long kernelPages = Math.min(end, usableStartPfn) - start;
                        remaining -= Math.min(kernelPages, remaining);
                        requiredKernel -= Math.min(kernelPages, requiredKernel);
                        if (end <= usableStartPfn) {
                            movablePfn.put(nid, end);
                            continue;
                        }
                        start = usableStartPfn;
                    }
                    long size = Math.min(end - start, remaining);
                    movablePfn.put(nid, start + size);
                    requiredKernel -= Math.min(requiredKernel, size);
                    remaining -= size;
                    if (remaining == 0) {
                        break;
                    }
                }
            }
            usableNodes--;
        } while (usableNodes > 0 && requiredKernel > usableNodes);
        for (int nid : nodes) {
            long start = (movablePfn.get(nid) + maxOrderPages - 1) / maxOrderPages * maxOrderPages;
            long nodeEnd = 0;
            for (PfnRange r : ranges) {
                if (r.node() == nid) {
                    nodeEnd = Math.max(nodeEnd, r.end());
                }
            }
            if (start > 0 && start < nodeEnd) {
                result.put(nid, start);
            }
        }
        return result;
    }
}
