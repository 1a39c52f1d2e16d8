package io.kmemsim.arm64.mmu;

import io.kmemsim.api.arch.Platform;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Simulated cycles per {@link Op}, per core type, and which table each CPU uses.
 *
 * <p>No published cycle numbers exist for DSB, ISB, DC or TLBI on Cortex-A76 or Cortex-A55
 * (docs/kernel-facts.md#arm64-operation-costs; docs/kernel-facts.md#sources-and-versions). Every default below is therefore an ASSUMPTION chosen
 * by order-of-magnitude reasoning and kept in the ordering the reference recommends:
 * {@code isb} &lt; {@code dsb ishst} &lt; {@code dc cvac/civac} per line &lt; {@code tlbi …is} +
 * {@code dsb ish} &lt; {@code tlbi aside1is/vmalle1is} and {@code ic ialluis}. docs/arch.md gives the
 * reasoning per entry. Every entry can be overridden (option {@code costs}).
 */
final class CostTable {

    /** The core types with their own default table. */
    static final List<String> CORE_TYPES = List.of("cortex-a76", "cortex-a55", "generic");

    private final long[][] costs;
    private final int[] coreOfCpu;

    private CostTable(long[][] costs, int[] coreOfCpu) {
        this.costs = costs;
        this.coreOfCpu = coreOfCpu;
    }

    /**
     * The table for {@code platform}'s CPUs: each CPU's core type from {@link Platform#coreType}
     * ({@code selection} "auto"), or one core type for all CPUs; unknown core types use "generic".
     *
     * @param overrides {@code op → cycles} for every core type, or {@code core:op → cycles} for one
     *                  (applied after the every-core-type keys, so it wins)
     * @throws IllegalArgumentException naming a bad selection, override key or negative value
     */
    static CostTable create(Platform platform, String selection, Map<String, Long> overrides) {
        if (!"auto".equals(selection) && !CORE_TYPES.contains(selection)) {
            throw new IllegalArgumentException("costTable must be auto or one of " + CORE_TYPES + ": " + selection);
        }
        long[][] costs = new long[CORE_TYPES.size()][];
        for (int c = 0; c < costs.length; c++) {
            costs[c] = defaults(CORE_TYPES.get(c));
        }
        for (Map.Entry<String, Long> e : overrides.entrySet()) {
            if (e.getKey().indexOf(':') < 0) {
                apply(costs, e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Long> e : overrides.entrySet()) {
            if (e.getKey().indexOf(':') >= 0) {
                apply(costs, e.getKey(), e.getValue());
            }
        }
        int[] coreOfCpu = new int[platform.cpus()];
        for (int cpu = 0; cpu < coreOfCpu.length; cpu++) {
            String type = "auto".equals(selection) ? platform.coreType(cpu) : selection;
            int index = CORE_TYPES.indexOf(type);
            coreOfCpu[cpu] = index < 0 ? CORE_TYPES.indexOf("generic") : index;
        }
        return new CostTable(costs, coreOfCpu);
    }

    private static void apply(long[][] costs, String key, Long value) {
        int colon = key.indexOf(':');
        String opName = colon < 0 ? key : key.substring(colon + 1);
        Op op = Op.byShortName(opName);
        if (op == null) {
            throw new IllegalArgumentException("costs key must name an operation (" + Arrays.stream(Op.all())
                    .map(o -> o.shortName).toList() + "), optionally prefixed by a core type and ':': " + key);
        }
        if (value == null || value < 0) {
            throw new IllegalArgumentException("costs." + key + " must be >= 0 cycles: " + value);
        }
        if (colon < 0) {
            for (long[] table : costs) {
                table[op.ordinal()] = value;
            }
            return;
        }
        int core = CORE_TYPES.indexOf(key.substring(0, colon));
        if (core < 0) {
            throw new IllegalArgumentException("costs key core type must be one of " + CORE_TYPES + ": " + key);
        }
        costs[core][op.ordinal()] = value;
    }

    /** The default cycles per op of {@code coreType} (docs/arch.md, "Cost defaults"). */
    static long[] defaults(String coreType) {
        long[] t = new long[Op.all().length];
        boolean a55 = "cortex-a55".equals(coreType);
        set(t, Op.PGTABLE_STORE, 1);
        set(t, Op.ISB, a55 ? 8 : 15);
        set(t, Op.DSB_ISHST, a55 ? 20 : 30);
        set(t, Op.DSB_ISH, a55 ? 30 : 40);
        set(t, Op.DSB_SY, a55 ? 45 : 60);
        set(t, Op.DVM_SYNC, a55 ? 300 : 400);
        long tlbi = a55 ? 15 : 20;
        for (Op op : List.of(Op.TLBI_VALE1IS, Op.TLBI_VAE1IS, Op.TLBI_VAALE1IS, Op.TLBI_VAAE1IS,
                Op.TLBI_RVALE1IS, Op.TLBI_RVAE1IS, Op.TLBI_RVAALE1IS)) {
            set(t, op, tlbi);
        }
        set(t, Op.TLBI_ASIDE1IS, a55 ? 450 : 600);
        set(t, Op.TLBI_VMALLE1IS, a55 ? 750 : 1000);
        long line = a55 ? 60 : 80;
        set(t, Op.DC_CVAC, line);
        set(t, Op.DC_CIVAC, line);
        set(t, Op.DC_IVAC, line);
        set(t, Op.DC_CVAU, a55 ? 8 : 10);
        set(t, Op.DC_ZVA, a55 ? 4 : 2);
        set(t, Op.IC_IVAU, a55 ? 15 : 20);
        set(t, Op.IC_IALLUIS, a55 ? 1100 : 1500);
        set(t, Op.COPY_LINE, a55 ? 23 : 15);
        return t;
    }

    private static void set(long[] table, Op op, long cycles) {
        table[op.ordinal()] = cycles;
    }

    /** Cycles of {@code op} on {@code cpu} (CPUs outside the platform use CPU 0's table). */
    long cost(Op op, int cpu) {
        int c = cpu >= 0 && cpu < coreOfCpu.length ? coreOfCpu[cpu] : coreOfCpu[0];
        return costs[c][op.ordinal()];
    }

    /** The core type whose table {@code cpu} uses. */
    String coreType(int cpu) {
        int c = cpu >= 0 && cpu < coreOfCpu.length ? coreOfCpu[cpu] : coreOfCpu[0];
        return CORE_TYPES.get(c);
    }
}
