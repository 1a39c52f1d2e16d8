package io.kmemsim.slub;

import io.kmemsim.api.slab.SlabFlags;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The read side of {@code /sys/kernel/slab/<cache>/} (reference/slab.md §3.10): each attribute's exact
 * text, newline included.
 *
 * <p>kmemsim models one memory node on a CONFIG_NUMA kernel (arm64 and x86-64 distribution kernels), so
 * count-style files print {@code <total>} and then {@code  N0=<count>} when the count is non-zero.
 * {@code cache_dma} exists only when the kernel has ZONE_DMA. {@code ctor} prints nothing when the cache
 * has no constructor; kmemsim knows no constructor symbols, so a cache with one prints
 * {@code <cache>_ctor+0x0/0x0} (the reference gives no rule). {@code usersize} is the object size for
 * kmalloc caches (their usercopy region covers the object) and 0 otherwise (CacheSpec has no usercopy
 * region). {@code validate} and {@code shrink} read as empty files. {@code slabs_cpu_partial} uses the
 * 5.16+ half-full estimate; 5.10 prints the free objects counted at push time.
 */
final class SlubSysfs {

    private static final List<String> NAMES;

    static {
        List<String> n = new ArrayList<>(List.of("slab_size", "object_size", "objs_per_slab", "order", "align",
                "aliases", "ctor", "hwcache_align", "reclaim_account", "destroy_by_rcu", "cache_dma", "usersize",
                "sanity_checks", "trace", "red_zone", "poison", "store_user", "failslab", "partial",
                "objects_partial", "slabs", "total_objects", "objects", "cpu_slabs", "slabs_cpu_partial",
                "min_partial", "cpu_partial", "remote_node_defrag_ratio", "validate", "shrink"));
        for (SlubStat st : SlubStat.values()) {
            n.add(st.fileName());
        }
        NAMES = Collections.unmodifiableList(n);
    }

    private SlubSysfs() {
    }

    /** Every attribute name kmemsim renders (cache_dma only on ZONE_DMA kernels). */
    static List<String> names() {
        return NAMES;
    }

    static String render(SlubObjectCache a, SlubCache c, String name) {
        return switch (name) {
            case "slab_size" -> c.size + "\n";
            case "object_size" -> c.objectSize + "\n";
            case "objs_per_slab" -> c.ooObjects + "\n";
            case "order" -> c.ooOrder + "\n";
            case "align" -> c.align + "\n";
            case "aliases" -> Math.max(0, c.refcount - 1) + "\n";
            case "ctor" -> c.ctor ? c.name + "_ctor+0x0/0x0\n" : "";
            case "hwcache_align" -> flag(c, SlabFlags.HWCACHE_ALIGN);
            case "reclaim_account" -> flag(c, SlabFlags.RECLAIM_ACCOUNT);
            case "destroy_by_rcu" -> flag(c, SlabFlags.TYPESAFE_BY_RCU);
            case "cache_dma" -> cacheDma(a, c);
            case "usersize" -> (c.kmalloc ? c.objectSize : 0) + "\n";
            case "sanity_checks" -> flag(c, SlabFlags.CONSISTENCY_CHECKS);
            case "trace" -> flag(c, SlabFlags.TRACE);
            case "red_zone" -> flag(c, SlabFlags.RED_ZONE);
            case "poison" -> flag(c, SlabFlags.POISON);
            case "store_user" -> flag(c, SlabFlags.STORE_USER);
            case "failslab" -> flag(c, SlabFlags.FAILSLAB);
            case "partial" -> counted(c.nrPartial);
            case "objects_partial" -> counted(partialInuse(a, c));
            case "slabs" -> counted(c.nrSlabs);
            case "total_objects" -> counted(c.totalObjects);
            case "objects" -> counted(c.totalObjects - partialFree(a, c));
            case "cpu_slabs" -> counted(cpuSlabs(a, c));
            case "slabs_cpu_partial" -> slabsCpuPartial(a, c);
            case "min_partial" -> c.minPartial + "\n";
            case "cpu_partial" -> c.cpuPartial + "\n";
            case "remote_node_defrag_ratio" -> "100\n";
            case "validate", "shrink" -> "";
            default -> stat(c, name);
        };
    }

    private static String flag(SlubCache c, long f) {
        return ((c.flags & f) != 0 ? 1 : 0) + "\n";
    }

    private static String cacheDma(SlubObjectCache a, SlubCache c) {
        if (!a.zoneDma()) {
            throw new IllegalArgumentException("no sysfs attribute cache_dma: the kernel has no ZONE_DMA");
        }
        return flag(c, SlabFlags.CACHE_DMA);
    }

    private static String counted(long total) {
        return total == 0 ? "0\n" : total + " N0=" + total + "\n";
    }

    private static long partialInuse(SlubObjectCache a, SlubCache c) {
        long n = 0;
        for (int s = c.partialHead; s >= 0; s = a.slabs.next[s]) {
            n += a.slabs.inuse[s];
        }
        return n;
    }

    private static long partialFree(SlubObjectCache a, SlubCache c) {
        long n = 0;
        for (int s = c.partialHead; s >= 0; s = a.slabs.next[s]) {
            n += a.slabs.objects[s] - a.slabs.inuse[s];
        }
        return n;
    }

    private static long cpuSlabs(SlubObjectCache a, SlubCache c) {
        long n = 0;
        for (int cpu = 0; cpu < a.cpus; cpu++) {
            if (c.cpu[cpu].slab >= 0) {
                n++;
            }
            int head = c.cpu[cpu].partialHead;
            if (head >= 0) {
                n += a.slabs.partialSlabs[head];
            }
        }
        return n;
    }

    private static String slabsCpuPartial(SlubObjectCache a, SlubCache c) {
        boolean bySlabs = a.rules.cpuPartialBySlabs();
        long objects = 0;
        long slabs = 0;
        StringBuilder per = new StringBuilder();
        for (int cpu = 0; cpu < a.cpus; cpu++) {
            int head = c.cpu[cpu].partialHead;
            if (head < 0) {
                continue;
            }
            int s = a.slabs.partialSlabs[head];
            long o = bySlabs ? (long) s * c.ooObjects / 2 : a.slabs.partialObjects[head];
            slabs += s;
            objects += bySlabs ? 0 : o;
            per.append(" C").append(cpu).append('=').append(o).append('(').append(s).append(')');
        }
        if (bySlabs) {
            objects = slabs * c.ooObjects / 2;
        }
        return objects + "(" + slabs + ")" + per + "\n";
    }

    private static String stat(SlubCache c, String name) {
        for (SlubStat st : SlubStat.values()) {
            if (st.fileName().equals(name)) {
                StringBuilder sb = new StringBuilder().append(c.statTotal(st));
                for (int cpu = 0; cpu < c.cpu.length; cpu++) {
                    long v = c.count(cpu, st);
                    if (v != 0) {
                        sb.append(" C").append(cpu).append('=').append(v);
                    }
                }
                return sb.append('\n').toString();
            }
        }
        throw new IllegalArgumentException("no sysfs attribute " + name + " in /sys/kernel/slab/" + c.name + "/; known: "
                + String.join(", ", NAMES));
    }
}
