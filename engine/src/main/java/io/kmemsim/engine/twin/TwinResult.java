package io.kmemsim.engine.twin;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a twin run produced: the machine, how much of the trace replayed and why the rest did not, the
 * kernel-format end files, and the comparisons with the kernel's own end states.
 *
 * @param bundle              the bundle directory
 * @param mode                exact or policy
 * @param machine             the derived machine
 * @param tracedAllocations   successful {@code mm_page_alloc} events of the trace
 * @param replayedAllocations of those, the ones the twin replayed successfully
 * @param notReplayed         what could not be replayed, by reason
 * @param startStats          how the start state was built (counts by source)
 * @param notes               what was inferred or assumed
 * @param after               end buddyinfo, real vs simulated
 * @param compacted           after {@code compact_memory}, real vs simulated, when the bundle has it
 * @param pageblocks          pageblocks per zone and migrate type at the end, real (pagetypeinfo.after) vs simulated
 * @param buddyinfo           the twin's end {@code /proc/buddyinfo}
 * @param pagetypeinfo        the twin's end {@code /proc/pagetypeinfo} (per-CPU lists not drained)
 * @param buddyinfoCompacted  the twin's {@code /proc/buddyinfo} after {@code compact_memory}
 * @param bootZoneinfo        the simulated boot-time {@code /proc/zoneinfo}, when available
 * @param bootFields          the boot zoneinfo fields compared, real ({@code zoneinfo.boot.txt}) against simulated;
 *                            empty when the bundle has no boot log or no {@code zoneinfo.boot.txt}
 * @param slab                the slab twin, when an object cache ({@code slub}) is registered and the bundle has slabinfo
 * @param window              what the untraced window between the after and compacted snapshots rebuilt (inferred from
 *                            the bundle's vmstat and zoneinfo, not traced; {@code UntracedWindow}); empty when not applied
 */
public record TwinResult(Path bundle, Twin.Mode mode, Machine machine, long tracedAllocations, long replayedAllocations,
                         Map<String, Long> notReplayed, Map<String, Long> startStats, List<String> notes,
                         ZoneComparison after, Optional<ZoneComparison> compacted, List<PageblockRow> pageblocks,
                         String buddyinfo, String pagetypeinfo, Optional<String> buddyinfoCompacted,
                         Optional<String> bootZoneinfo, List<BootField> bootFields, Optional<SlabResult> slab,
                         Map<String, Long> window) {

    public TwinResult {
        notReplayed = Map.copyOf(notReplayed);
        startStats = Map.copyOf(startStats);
        notes = List.copyOf(notes);
        pageblocks = List.copyOf(pageblocks);
        bootFields = List.copyOf(bootFields);
        window = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(window));
    }

    /** Replayed / traced allocations (1 when the trace has none). */
    public double successRate() {
        return tracedAllocations == 0 ? 1 : (double) replayedAllocations / tracedAllocations;
    }

    /**
     * Pageblocks of one zone and type.
     *
     * @param node the node id
     * @param zone the zone
     * @param type the migrate type
     * @param real the kernel's count at the end, or −1 when the bundle has no pagetypeinfo.after
     * @param sim  the twin's count
     */
    public record PageblockRow(int node, ZoneType zone, MigrateType type, long real, long sim) {
    }

    /**
     * One boot {@code /proc/zoneinfo} field of one zone, as {@code BootTwin.comparedFields} names it.
     *
     * @param node  the node id
     * @param zone  the zone's printed name
     * @param field the field ({@code managed}, {@code min}, {@code protection}, {@code cpu 0 high}…)
     * @param real  the kernel's value as printed, or null when the real file lacks the field
     * @param sim   the simulated value as printed, or null when the simulation lacks the field
     */
    public record BootField(int node, String zone, String field, String real, String sim) {
    }
}
