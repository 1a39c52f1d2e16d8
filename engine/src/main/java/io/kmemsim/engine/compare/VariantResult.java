package io.kmemsim.engine.compare;

import io.kmemsim.api.mm.PageblockOccupancy;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The measures of one variant's run, read from its end state.
 *
 * @param variant          the variant
 * @param order            the order whose allocation success is reported
 * @param pageblockOrder   the allocator's {@code pageblock_order}
 * @param successes        allocations of {@code order} that succeeded during the run
 * @param failures         allocations of {@code order} that failed during the run
 * @param occupancy        pageblock occupancy at the end, summed over the zones ({@link PageblockOccupancy#UNKNOWN}
 *                         when the allocator does not track it)
 * @param extfragEvents    migrate-type fallbacks ({@code mm_page_alloc_extfrag} events: the allocator counter
 *                         {@code kmemsim_extfrag_events})
 * @param compactStall     direct compaction attempts that were not skipped ({@code compact_stall})
 * @param pagesMigrated    pages moved by compaction ({@code pgmigrate_success})
 * @param freePages        free pages at the end (buddy free lists of all zones)
 * @param freePagesInPageblocks free pages at the end in blocks of order {@code >= pageblockOrder}
 * @param managedPages     pages managed by the allocator (all zones)
 * @param pageBytes        the page size in bytes
 * @param events           events the run processed
 * @param seed             the run's seed
 * @param plugins          the providers the run used, in creation order (platform, policies, arch, allocator,
 *                         object cache, workload)
 * @param reclaim          the reclaim counters at the end ({@link Reclaim#NONE} when the allocator reports none)
 */
public record VariantResult(Variant variant, int order, int pageblockOrder, long successes, long failures,
                            PageblockOccupancy occupancy, long extfragEvents, long compactStall, long pagesMigrated,
                            long freePages, long freePagesInPageblocks, long managedPages, long pageBytes, long events,
                            long seed, List<PluginUse> plugins, Reclaim reclaim) {

    /**
     * The reclaim counters of a run, from the allocator's vmstat (6.1 names): {@code pgscan_kswapd},
     * {@code pgscan_direct}, {@code pgsteal_kswapd}, {@code pgsteal_direct}, {@code allocstall} (the sum of
     * {@code allocstall_<zone>}) and {@code oom_kill}.
     */
    public record Reclaim(long pgscanKswapd, long pgscanDirect, long pgstealKswapd, long pgstealDirect, long allocstall,
                          long oomKills) {

        /** A run whose allocator reports no reclaim counters. */
        public static final Reclaim NONE = new Reclaim(-1, -1, -1, -1, -1, -1);

        /**
         * The counters from an allocator's vmstat (absent ones 0), or {@link #NONE} when it reports neither
         * reclaim events nor LRU lists ({@code pgscan_kswapd}, {@code nr_inactive_file}).
         */
        public static Reclaim of(java.util.Map<String, Long> counters) {
            if (!counters.containsKey("pgscan_kswapd") && !counters.containsKey("nr_inactive_file")) {
                return NONE;
            }
            long allocstall = 0;
            for (java.util.Map.Entry<String, Long> e : counters.entrySet()) {
                if (e.getKey().startsWith("allocstall_")) {
                    allocstall += e.getValue();
                }
            }
            return new Reclaim(counters.getOrDefault("pgscan_kswapd", 0L), counters.getOrDefault("pgscan_direct", 0L),
                    counters.getOrDefault("pgsteal_kswapd", 0L), counters.getOrDefault("pgsteal_direct", 0L), allocstall,
                    counters.getOrDefault("oom_kill", 0L));
        }

        /** True when the run reported reclaim counters. */
        public boolean known() {
            return pgscanKswapd >= 0;
        }
    }

    /**
     * One provider a run used.
     *
     * @param kind     its kind label ({@code fallback}, {@code compaction}, ...)
     * @param id       its id
     * @param version  its version (the plugin's, or the jar's on the classpath)
     * @param source   its plugin jar's path, or {@code classpath}
     */
    public record PluginUse(String kind, String id, String version, String source) {
        public PluginUse {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(source, "source");
        }
    }

    public VariantResult {
        Objects.requireNonNull(variant, "variant");
        Objects.requireNonNull(occupancy, "occupancy");
        Objects.requireNonNull(reclaim, "reclaim");
        plugins = List.copyOf(plugins);
    }

    /** A result without reclaim counters. */
    public VariantResult(Variant variant, int order, int pageblockOrder, long successes, long failures,
                         PageblockOccupancy occupancy, long extfragEvents, long compactStall, long pagesMigrated,
                         long freePages, long freePagesInPageblocks, long managedPages, long pageBytes, long events,
                         long seed, List<PluginUse> plugins) {
        this(variant, order, pageblockOrder, successes, failures, occupancy, extfragEvents, compactStall, pagesMigrated,
                freePages, freePagesInPageblocks, managedPages, pageBytes, events, seed, plugins, Reclaim.NONE);
    }

    /** A result without seed (0) or plugin information. */
    public VariantResult(Variant variant, int order, int pageblockOrder, long successes, long failures,
                         PageblockOccupancy occupancy, long extfragEvents, long compactStall, long pagesMigrated,
                         long freePages, long freePagesInPageblocks, long managedPages, long pageBytes, long events) {
        this(variant, order, pageblockOrder, successes, failures, occupancy, extfragEvents, compactStall, pagesMigrated,
                freePages, freePagesInPageblocks, managedPages, pageBytes, events, 0, List.of());
    }

    /** The provider of {@code kind} the run used, if any. */
    public Optional<PluginUse> plugin(String kind) {
        return plugins.stream().filter(p -> p.kind().equals(kind)).findFirst();
    }

    /** Allocations of {@link #order()} attempted. */
    public long requests() {
        return successes + failures;
    }

    /** The share of {@link #order()} allocations that succeeded, in [0, 1], or NaN when none was attempted. */
    public double successRate() {
        return requests() == 0 ? Double.NaN : (double) successes / requests();
    }

    /** {@code part} as a share of all pageblocks, or NaN when occupancy is unknown. */
    public double pageblockShare(long part) {
        return occupancy.pageblocks() <= 0 ? Double.NaN : (double) part / occupancy.pageblocks();
    }

    /** Free pages in blocks of at least pageblock order as a share of managed pages. */
    public double freeInPageblocksShare() {
        return managedPages == 0 ? Double.NaN : (double) freePagesInPageblocks / managedPages;
    }
}
