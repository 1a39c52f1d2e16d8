package io.kmemsim.workloads;

import io.kmemsim.api.workload.Event;
import java.util.SplittableRandom;

/**
 * Long-lived unmovable allocations interleaved with movable churn, in fill/drain cycles, so that the
 * unmovable blocks land scattered among movable ones and stay behind when the movable pages go.
 *
 * <p>Notes:
 * <ul>
 *   <li>FILL: allocate (with probability {@code churn-rate} free a random movable block instead).
 *       While the unmovable pages are below their target, an allocation is unmovable with the
 *       probability {@code p} that makes unmovable pages grow in proportion {@code r =
 *       unmovable-fraction / fill-fraction} of the net growth, so they are spread evenly through the
 *       fill and reach their target about when it ends. With churn rate {@code c} and mean block sizes
 *       {@code Eu}, {@code Em} (pages), unmovable growth per event is {@code (1-c) p Eu} and movable
 *       growth {@code ((1-c)(1-p) - c) Em}; solving {@code unmovable / total = r} gives
 *       {@code p = r Em (1-2c) / ((1-c) (Eu (1-r) + r Em))}. Ends when live pages reach the fill target, or
 *       after {@link #FILL_FAILURE_LIMIT} failed allocations in the phase (memory is full).</li>
 *   <li>DRAIN: free random movable blocks (with probability {@code churn-rate} allocate one instead)
 *       until live pages fall to the drain target. Unmovable blocks stay.</li>
 *   <li>After {@code phases} cycles, STEADY: hold the movable pages at the level the last drain left
 *       ({@code L}): free a random movable block with probability {@code min(1, movable / (2L))}, else
 *       allocate (replenishing unmovable pages as in FILL). The level is stable: above {@code L}
 *       frees outnumber allocations.</li>
 *   <li>In every phase, with probability {@code unmovable-turnover} an event frees a random unmovable
 *       block instead; its replacement is allocated wherever the allocator then puts it.</li>
 * </ul>
 */
final class FragmenterGenerator implements Generator {

    /** Failed allocations in one fill phase after which memory is taken as full. */
    static final int FILL_FAILURE_LIMIT = 64;

    private enum Phase { FILL, DRAIN, STEADY }

    private final SplittableRandom random;
    private final LiveSet unmovable;
    private final PageChurn movable;
    private final PageChurn unmovableAlloc;
    private final long unmovableTarget;
    private final double unmovableShare;
    private final double turnover;
    private final long fillTarget;
    private final long drainTarget;
    private final double churnRate;
    private final int phases;
    private Phase phase = Phase.FILL;
    private int cyclesDone;
    private long failuresAtPhaseStart;
    private long steadyLevel;

    FragmenterGenerator(SplittableRandom random, PageChurn movable, PageChurn unmovableAlloc, long memoryPages,
                        double meanUnmovablePages, double meanMovablePages, FragmenterOptions o) {
        this.random = random;
        this.movable = movable;
        this.unmovableAlloc = unmovableAlloc;
        this.unmovable = unmovableAlloc.set();
        this.unmovableTarget = (long) (o.unmovableFraction() * memoryPages);
        double r = o.unmovableFraction() / o.fillFraction();
        double c = o.churnRate();
        this.unmovableShare = r * meanMovablePages * (1 - 2 * c)
                / ((1 - c) * (meanUnmovablePages * (1 - r) + r * meanMovablePages));
        this.turnover = o.unmovableTurnover();
        this.fillTarget = (long) (o.fillFraction() * memoryPages);
        this.drainTarget = (long) (o.drainFraction() * memoryPages);
        this.churnRate = o.churnRate();
        this.phases = o.phases();
    }

    @Override
    public void emit(Event into) {
        advancePhase();
        if (unmovable.size() > 0 && turnover > 0 && random.nextDouble() < turnover) {
            PageChurn.freeRandom(unmovable, unmovableAlloc.arch(), into, random);
            return;
        }
        LiveSet mov = movable.set();
        boolean allocate = switch (phase) {
            case FILL -> mov.size() == 0 || random.nextDouble() >= churnRate;
            case DRAIN -> mov.size() == 0 || random.nextDouble() < churnRate;
            case STEADY -> mov.size() == 0 || random.nextDouble() >= mov.units() / (2.0 * steadyLevel);
        };
        if (!allocate) {
            movable.free(into, random);
        } else if (phase != Phase.DRAIN && unmovable.units() < unmovableTarget && random.nextDouble() < unmovableShare) {
            unmovableAlloc.allocate(into, random);
        } else {
            movable.allocate(into, random);
        }
    }

    private void advancePhase() {
        long live = movable.set().units() + unmovable.units();
        if (phase == Phase.FILL && (live >= fillTarget || failures() - failuresAtPhaseStart >= FILL_FAILURE_LIMIT)) {
            phase = Phase.DRAIN;
        } else if (phase == Phase.DRAIN && (live <= drainTarget || movable.set().size() == 0)) {
            cyclesDone++;
            phase = cyclesDone >= phases ? Phase.STEADY : Phase.FILL;
            steadyLevel = Math.max(1, movable.set().units());
            failuresAtPhaseStart = failures();
        }
    }

    private long failures() {
        return movable.set().failures() + unmovable.failures();
    }

    /** Completed fill/drain cycles (for tests). */
    int cyclesDone() {
        return cyclesDone;
    }
}
