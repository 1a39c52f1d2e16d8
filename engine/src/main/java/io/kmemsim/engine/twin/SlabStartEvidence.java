package io.kmemsim.engine.twin;

import io.kmemsim.engine.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What a bundle says about the slab state at the trace's start, beside the start slabinfo itself: when that
 * snapshot was taken against the trace ({@code timeline.txt}, the trace's own timestamps), and how many slab pages
 * the kernel had at the snapshot, at the trace's start and at the end ({@code vmstat.{boot,before,after}.txt}:
 * {@code nr_slab_reclaimable + nr_slab_unreclaimable}, in pages: 6.1 keeps them in bytes and {@code /proc/vmstat}
 * prints pages, {@code mm/vmstat.c: vmstat_start()}). Lines for the report; nothing here changes the replay.
 */
final class SlabStartEvidence {

    private SlabStartEvidence() {
    }

    static List<String> describe(Bundle b, String startName, PageEvents events) {
        List<String> out = new ArrayList<>();
        double first = Double.NaN;
        double last = Double.NaN;
        if (events.size > 0) {
            first = events.time[0] / 1e9;
            last = events.time[events.size - 1] / 1e9;
        }
        if (events.slab.size > 0) {
            first = Double.isNaN(first) ? events.slab.firstNanos / 1e9 : Math.min(first, events.slab.firstNanos / 1e9);
            last = Double.isNaN(last) ? events.slab.lastNanos / 1e9 : Math.max(last, events.slab.lastNanos / 1e9);
        }
        boolean boot = startName.contains(".boot.");
        List<String> timeline = b.has("timeline.txt") ? List.of(b.text("timeline.txt").split("\n")) : List.of();
        OptionalDouble initStart = timeline.isEmpty() ? OptionalDouble.empty() : time(timeline.get(0));
        OptionalDouble beforeSnap = find(timeline, "before_snapshot", "before snapshot");
        OptionalDouble afterDone = find(timeline, "after snapshot done");
        String trace = Double.isNaN(first) ? "" : String.format(Locale.ROOT, "; the trace's events run %.3f–%.3f s", first, last);
        if (boot) {
            String when = initStart.isPresent() && beforeSnap.isPresent()
                    ? String.format(Locale.ROOT, "with the boot records, between %.2f s (\"%s\") and %.2f s (the before snapshot, which"
                            + " has no slabinfo) uptime", initStart.getAsDouble(), text(timeline.get(0)), beforeSnap.getAsDouble())
                    : "with the boot records (timeline.txt does not say when)";
            out.add("start snapshot " + startName + ": taken " + when + trace
                    + (Double.isNaN(first) || initStart.isEmpty() ? "" : String.format(Locale.ROOT,
                    ": %.2f–%.2f s of untraced slab activity lie between it and the trace",
                    first - beforeSnap.orElse(first), first - initStart.getAsDouble())));
        } else {
            OptionalDouble at = find(timeline, "before snapshot", "before_snapshot");
            out.add("start snapshot " + startName + ": taken "
                    + (at.isPresent() ? String.format(Locale.ROOT, "at %.2f s uptime (timeline.txt), just before tracing began",
                    at.getAsDouble()) : "just before tracing began") + trace);
        }
        if (afterDone.isPresent() && !Double.isNaN(last)) {
            out.add(String.format(Locale.ROOT, "end snapshot slabinfo.after.txt: taken after the trace stopped, done at %.2f s uptime:"
                    + " up to %.2f s after the trace's last event, untraced", afterDone.getAsDouble(), afterDone.getAsDouble() - last));
        }
        long bootPages = slabPages(b, "vmstat.boot.txt");
        long beforePages = slabPages(b, "vmstat.before.txt");
        long afterPages = slabPages(b, "vmstat.after.txt");
        if (beforePages >= 0 && afterPages >= 0) {
            StringBuilder sb = new StringBuilder("kernel slab pages (vmstat nr_slab_reclaimable + nr_slab_unreclaimable):");
            if (boot && bootPages >= 0) {
                sb.append(" at the start snapshot ").append(bootPages).append(',');
            }
            sb.append(" at the trace's start ").append(beforePages).append(", at the end ").append(afterPages);
            if (boot && bootPages >= 0) {
                sb.append(String.format(Locale.ROOT, "; %+d pages changed between the start snapshot and the trace, untraced",
                        beforePages - bootPages));
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static OptionalDouble find(List<String> timeline, String... needles) {
        for (String line : timeline) {
            for (String n : needles) {
                if (line.contains(n)) {
                    return time(line);
                }
            }
        }
        return OptionalDouble.empty();
    }

    private static OptionalDouble time(String line) {
        String[] f = line.trim().split("\\s+", 2);
        try {
            return OptionalDouble.of(Double.parseDouble(f[0]));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    private static String text(String line) {
        String[] f = line.trim().split("\\s+", 2);
        return f.length > 1 ? f[1].split(" ")[0] + (f[1].contains(" ") ? " " + f[1].split(" ")[1] : "") : "";
    }

    /** nr_slab_reclaimable + nr_slab_unreclaimable of a vmstat file, or −1 when absent or unreadable. */
    private static long slabPages(Bundle b, String name) {
        if (!b.has(name)) {
            return -1;
        }
        Map<String, Long> v;
        try {
            v = UntracedWindow.vmstat(b, name);
        } catch (InputException e) {
            return -1; // evidence for the report only: a bad file here is not a reason to stop the twin
        }
        Long r = v.containsKey("nr_slab_reclaimable") ? v.get("nr_slab_reclaimable") : v.get("nr_slab_reclaimable_b");
        Long u = v.containsKey("nr_slab_unreclaimable") ? v.get("nr_slab_unreclaimable") : v.get("nr_slab_unreclaimable_b");
        return r == null || u == null ? -1 : r + u;
    }
}
