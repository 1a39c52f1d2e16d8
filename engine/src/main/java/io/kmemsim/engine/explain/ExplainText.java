package io.kmemsim.engine.explain;

import io.kmemsim.api.kernel.MigrateType;
import java.util.Locale;

/** The terminal form of an {@link Explanation}: each event, its steps with their kernel functions, the free lists after it. */
public final class ExplainText {

    private ExplainText() {
    }

    public static String render(Explanation e) {
        StringBuilder b = new StringBuilder(4096);
        b.append("kmemsim explain: scenario ").append(e.scenario()).append(", kernel ").append(e.kernel())
                .append(", page allocator ").append(e.allocator()).append('\n');
        b.append("Each step names the kernel function whose rule was applied (Linux ").append(e.kernel())
                .append(" rules; functions named as in 6.1 mm/page_alloc.c). PFNs in hex.\n\n");
        b.append("before the first event:\n");
        for (Explanation.ZoneState z : e.start()) {
            zone(b, z);
        }
        int n = 1;
        for (Explanation.Event ev : e.events()) {
            b.append('\n').append('#').append(n++).append(' ').append(ev.title()).append('\n');
            for (Explanation.Step s : ev.steps()) {
                b.append("    ").append(s.function()).append('\n').append("        ").append(s.text()).append('\n');
            }
            b.append("  after:\n");
            for (Explanation.ZoneState z : ev.after()) {
                zone(b, z);
            }
        }
        return b.toString();
    }

    /** One zone's free blocks per order (all types summed) and the non-empty lists per type. */
    static void zone(StringBuilder b, Explanation.ZoneState z) {
        b.append(String.format(Locale.ROOT, "    %-22s free %,d pages; free blocks per order:", z.name(), z.freePages()));
        for (long[] perType : z.freeBlocks()) {
            long sum = 0;
            for (long v : perType) {
                sum += v;
            }
            b.append(' ').append(sum);
        }
        b.append('\n');
        MigrateType[] types = MigrateType.values();
        for (MigrateType t : types) {
            StringBuilder lists = new StringBuilder();
            for (int o = 0; o < z.freeBlocks().length; o++) {
                long v = z.freeBlocks()[o][t.ordinal()];
                if (v > 0) {
                    lists.append(' ').append(o).append(':').append(v);
                }
            }
            if (lists.length() > 0) {
                b.append(String.format(Locale.ROOT, "      %-12s order:count%s%n", t.printedName(), lists));
            }
        }
    }
}
