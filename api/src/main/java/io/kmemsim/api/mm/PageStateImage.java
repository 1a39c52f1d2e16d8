package io.kmemsim.api.mm;

import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.kernel.ZoneType;
import java.util.List;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A real machine's page state with positions, for starting a digital twin from it
 * ({@link PageAllocator#importPageState}): where each free block lies, which blocks sit on which CPU's
 * per-CPU list, the allocated blocks whose order is known, the type of every pageblock, and the zone
 * settings the kernel had (its own watermarks, protection and pcp sizes, not recomputed ones).
 *
 * <p>Every page of a zone that no block names is allocated as an order-0 page of unknown origin.
 * Blocks must be aligned to their order, lie inside one zone and not overlap.
 *
 * @param zones      the zone settings, one per zone to set (zones not listed keep their own)
 * @param blocks     the positioned blocks, in any order
 * @param pageblocks the pageblock types, in any order (pageblocks not listed keep their type)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record PageStateImage(List<ZoneSettings> zones, List<Block> blocks, List<Pageblock> pageblocks) {

    public PageStateImage {
        zones = List.copyOf(zones);
        blocks = List.copyOf(blocks);
        pageblocks = List.copyOf(pageblocks);
    }

    /** Where a block is. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Kind {
        /** On the buddy free list of its migrate type. */
        FREE,
        /** On a per-CPU list of {@link Block#cpu}; its migrate type is the cached pcp type. */
        PER_CPU,
        /** Allocated with this order (so a later free of the whole block is accepted). */
        ALLOCATED,
        /** Allocated with this order and movable (compaction may migrate it, as the kernel's LRU pages). */
        ALLOCATED_MOVABLE
    }

    /**
     * One block of {@code 2^order} pages at {@code pfn}.
     *
     * @param pfn   first PFN, aligned to the order
     * @param order the order
     * @param kind  where the block is
     * @param type  the free list (FREE), the cached pcp type (PER_CPU) or the request's type (ALLOCATED*)
     * @param cpu   the CPU of a PER_CPU block, otherwise 0
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Block(long pfn, int order, Kind kind, MigrateType type, int cpu) {

        public Block {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(type, "type");
            if (pfn < 0 || order < 0 || (pfn & ((1L << order) - 1)) != 0) {
                throw new IllegalArgumentException("block must have pfn >= 0 aligned to its order: pfn 0x"
                        + Long.toHexString(pfn) + " order " + order);
            }
        }
    }

    /**
     * The migrate type of the pageblock that contains {@code pfn}.
     *
     * @param pfn  any PFN of the pageblock
     * @param type its type
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Pageblock(long pfn, MigrateType type) {

        public Pageblock {
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * A zone's settings as the kernel had them ({@code /proc/zoneinfo}): managed pages, watermarks
     * without boost, {@code lowmem_reserve} and per-CPU list sizes. A negative value keeps the
     * allocator's own.
     *
     * @param node       node id
     * @param zone       zone type
     * @param managed    {@code managed}
     * @param min        {@code _watermark[WMARK_MIN]}
     * @param low        {@code _watermark[WMARK_LOW]}
     * @param high       {@code _watermark[WMARK_HIGH]}
     * @param protection {@code lowmem_reserve[]}, one value per configured zone; empty keeps the own
     * @param pcpHigh    per-CPU {@code high}, index = CPU; empty keeps the own
     * @param pcpBatch   {@code batch}
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record ZoneSettings(int node, ZoneType zone, long managed, long min, long low, long high,
                               List<Long> protection, List<Integer> pcpHigh, int pcpBatch) {

        public ZoneSettings {
            Objects.requireNonNull(zone, "zone");
            protection = List.copyOf(protection);
            pcpHigh = List.copyOf(pcpHigh);
        }
    }
}
