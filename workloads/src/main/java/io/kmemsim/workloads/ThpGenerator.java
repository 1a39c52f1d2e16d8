package io.kmemsim.workloads;

import io.kmemsim.api.workload.Event;
import java.util.SplittableRandom;

/**
 * Bursts of transparent-huge-page faults against a background of small allocations.
 *
 * <p>Notes: the generator counts its own events; a burst starts every {@code burst-interval} of them
 * and its first {@code burst-size} events are THP allocations. Other events free a THP with
 * probability {@code min(1, liveThps / thp-mean-lifetime)} (when THPs are freed), else are background
 * churn. A THP the host reports failed is followed by {@code fallback-pages} order-0 movable
 * allocations, as a huge-page fault that cannot get its page falls back to base pages. A THP is
 * movable memory, so the workload's {@link ArchEvents} map it whole after its allocation (a PMD-size
 * aligned range) and unmap it before its free.
 */
final class ThpGenerator implements Generator {

    private final SplittableRandom random;
    private final LiveSet thps;
    private final PageChurn background;
    private final int order;
    private final int gfp;
    private final int cpus;
    private final int burstSize;
    private final long burstInterval;
    private final double freePerThp;
    private final int fallbackPages;
    private long sinceBurstStart;
    private int burstLeft;
    private long failuresSeen;
    private long fallbackLeft;

    ThpGenerator(SplittableRandom random, LiveSet thps, PageChurn background, int order, int gfp, int cpus,
                 ThpOptions o) {
        this.random = random;
        this.thps = thps;
        this.background = background;
        this.order = order;
        this.gfp = gfp;
        this.cpus = cpus;
        this.burstSize = o.burstSize();
        this.burstInterval = o.burstInterval();
        this.freePerThp = o.freeThps() ? 1.0 / o.thpMeanLifetime() : 0;
        this.fallbackPages = o.fallbackPages();
    }

    @Override
    public void emit(Event into) {
        long failed = thps.failures() - failuresSeen;
        if (failed > 0) {
            failuresSeen = thps.failures();
            fallbackLeft += failed * fallbackPages;
        }
        if (fallbackLeft > 0 && !background.set().isFull()) {
            fallbackLeft--;
            background.allocateMovablePage(into, random);
            return;
        }
        if (sinceBurstStart == 0) {
            burstLeft = burstSize;
        }
        sinceBurstStart = sinceBurstStart + 1 == burstInterval ? 0 : sinceBurstStart + 1;
        if (burstLeft > 0 && !thps.isFull()) {
            burstLeft--;
            int cpu = random.nextInt(cpus);
            long handle = thps.add(order, cpu);
            into.pageAlloc(handle, order, gfp, cpu);
            background.arch().allocated(thps, handle, order, PageGfp.MOVABLE, cpu, false);
        } else if (thps.size() > 0 && random.nextDouble() < thps.size() * freePerThp) {
            PageChurn.freeRandom(thps, background.arch(), into, random);
        } else {
            background.emit(into, random);
        }
    }
}
