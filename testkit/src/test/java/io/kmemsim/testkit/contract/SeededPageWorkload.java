package io.kmemsim.testkit.contract;

import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small well-behaved workload for the kit's own tests: seeded page allocations and frees, kmalloc
 * and kfree, and a tick every 100 events; frees only live handles and forgets failed ones.
 */
final class SeededPageWorkload implements Workload {

    private final SplittableRandom random;
    private final int events;
    private final int cpus;
    private final List<long[]> livePages = new ArrayList<>();
    private final List<Long> liveKmalloc = new ArrayList<>();
    private int produced;
    private long nextHandle = 1;

    SeededPageWorkload(long seed, int events, int cpus) {
        this.random = new SplittableRandom(seed);
        this.events = events;
        this.cpus = cpus;
    }

    @Override
    public boolean next(Event into) {
        if (produced == events) {
            return false;
        }
        produced++;
        int cpu = random.nextInt(cpus);
        int roll = random.nextInt(100);
        if (produced % 100 == 0) {
            into.tick(produced * 1000L);
        } else if (roll < 30 && !livePages.isEmpty()) {
            long[] page = livePages.remove(random.nextInt(livePages.size()));
            into.pageFree(page[0], (int) page[1], cpu);
        } else if (roll < 45 && !liveKmalloc.isEmpty()) {
            into.kfree(liveKmalloc.remove(random.nextInt(liveKmalloc.size())), cpu);
        } else if (roll < 70) {
            long h = nextHandle++;
            liveKmalloc.add(h);
            into.kmalloc(h, 1 + random.nextInt(4096), 0xcc0, cpu);
        } else {
            long h = nextHandle++;
            int order = random.nextInt(4);
            livePages.add(new long[] {h, order});
            into.pageAlloc(h, order, 0xcc0, cpu);
        }
        return true;
    }

    @Override
    public long expectedEvents() {
        return events;
    }

    @Override
    public void allocationFailed(long handle) {
        livePages.removeIf(p -> p[0] == handle);
        liveKmalloc.remove(handle);
    }
}
