package io.kmemsim.engine.results;

import io.kmemsim.api.kernel.Feature;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.slab.ObjectCache;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.procfs.BuddyinfoRenderer;
import io.kmemsim.engine.procfs.ExtfragRenderer;
import io.kmemsim.engine.procfs.FreeCounts;
import io.kmemsim.engine.procfs.MeminfoRenderer;
import io.kmemsim.engine.procfs.PagetypeinfoRenderer;
import io.kmemsim.engine.procfs.VmstatRenderer;
import io.kmemsim.engine.procfs.ZoneinfoRenderer;
import io.kmemsim.engine.run.RunState;
import java.util.List;
import java.util.Optional;

/**
 * The kernel-format snapshot files of a run, rendered by the {@code procfs} renderers and
 * {@link SlabinfoRenderer} from the live components, each inside the fault boundary of the component it
 * reads (operation = the file's name).
 */
final class Snapshots {

    /** The files rendered at the end of a run, in the order they are written. */
    static final List<String> END_FILES = List.of("buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "meminfo", "slabinfo",
            "extfrag_unusable_index", "extfrag_index");

    private Snapshots() {
    }

    static String buddyinfo(ResultsRecorder r, RunState s) {
        return r.read(PluginKind.PAGE_ALLOCATOR, "buddyinfo", () -> BuddyinfoRenderer.render(nodes(s)));
    }

    static String pagetypeinfo(ResultsRecorder r, RunState s) {
        return r.read(PluginKind.PAGE_ALLOCATOR, "pagetypeinfo",
                () -> PagetypeinfoRenderer.render(nodes(s), s.platform().kernelConfig()));
    }

    /**
     * The end file {@code file}, or empty when this run has none: {@code slabinfo} without an object cache,
     * {@code zoneinfo} for a kernel before 5.10 (its layout is not described; recorded as a problem).
     */
    static Optional<String> render(ResultsRecorder r, RunState s, String file) {
        return switch (file) {
            case "buddyinfo" -> Optional.of(buddyinfo(r, s));
            case "pagetypeinfo" -> Optional.of(pagetypeinfo(r, s));
            case "zoneinfo" -> zoneinfo(r, s);
            case "vmstat" -> Optional.of(r.read(PluginKind.PAGE_ALLOCATOR, "vmstat",
                    () -> VmstatRenderer.render(nodes(s))));
            case "meminfo" -> Optional.of(r.read(PluginKind.PAGE_ALLOCATOR, "meminfo", () -> meminfo(s)));
            case "slabinfo" -> s.objectCache().map(c -> slabinfo(r, c));
            case "extfrag_unusable_index" -> Optional.of(r.read(PluginKind.PAGE_ALLOCATOR, file,
                    () -> ExtfragRenderer.unusableIndex(FreeCounts.ofPopulated(nodes(s)))));
            case "extfrag_index" -> Optional.of(r.read(PluginKind.PAGE_ALLOCATOR, file,
                    () -> ExtfragRenderer.extfragIndex(s.kernel(), FreeCounts.ofPopulated(nodes(s)))));
            default -> throw new IllegalArgumentException("not a snapshot file: " + file);
        };
    }

    private static Optional<String> zoneinfo(ResultsRecorder r, RunState s) {
        KernelVersion k = s.kernel();
        if (!k.has(Feature.MODEL_ZONE_FORMULAS)) {
            r.problem("zoneinfo", "zoneinfo layouts are described for kernels 5.10 and later: " + k);
            return Optional.empty();
        }
        return Optional.of(r.read(PluginKind.PAGE_ALLOCATOR, "zoneinfo",
                () -> ZoneinfoRenderer.render(k, s.platform().kernelConfig(), s.cpus(), nodes(s))));
    }

    /** {@code /proc/meminfo} (6.1 format, the modelled lines) from the allocator's zones and vmstat counters. */
    private static String meminfo(RunState s) {
        java.util.Map<String, Long> vmstat = new java.util.HashMap<>();
        for (PageAllocator node : nodes(s)) {
            node.forEachCounter((name, value) -> vmstat.merge(name, value, Long::sum));
        }
        java.util.List<io.kmemsim.api.mm.Zone> zones = new java.util.ArrayList<>();
        for (PageAllocator node : nodes(s)) {
            zones.addAll(node.zones());
        }
        io.kmemsim.api.kernel.KernelConfig config = s.platform().kernelConfig();
        return MeminfoRenderer.render(MeminfoRenderer.inputs(zones, vmstat, config.cma(), config.pageSize().shift()));
    }

    private static String slabinfo(ResultsRecorder r, ObjectCache cache) {
        return r.read(PluginKind.OBJECT_CACHE, "slabinfo", () -> SlabinfoRenderer.render(cache.slabinfo()));
    }

    private static List<PageAllocator> nodes(RunState s) {
        return List.of(s.pageAllocator());
    }
}
