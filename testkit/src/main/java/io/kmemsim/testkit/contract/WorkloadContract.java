package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.PageOrders;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.EventType;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link Workload} contract. Extend it and create a small workload (a few thousand events) from
 * the context the kit passes; the kit varies the context's seed.
 *
 * <pre>{@code
 * class RandomWorkloadContractTest extends WorkloadContract {
 *     @Override
 *     protected Workload createWorkload(ProviderContext context) {
 *         return new RandomWorkloadProvider().create(new RandomWorkloadOptions(5_000, 0.5), context);
 *     }
 * }
 * }</pre>
 *
 * <p>The kit reads up to {@link #eventLimit()} events and checks that they form a valid stream: handles
 * of live allocations are unique, every free names a live handle of the right kind (and order), orders
 * are within the kernel's largest order, CPUs within the platform's, sizes positive, simulated time
 * never goes backwards, and handles the kit reported failed through
 * {@link Workload#allocationFailed} are never freed.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class WorkloadContract {

    /** Creates a fresh workload for the context (whose seed the kit chooses). */
    protected abstract Workload createWorkload(ProviderContext context);

    /** The platform the workload runs on. */
    protected Platform platform() {
        return TestPlatforms.oneZone();
    }

    /** The kernel the workload is created for. */
    protected KernelVersion kernel() {
        return KernelVersion.parse("6.1");
    }

    /** The most events the kit reads from one workload. */
    protected long eventLimit() {
        return 20_000;
    }

    private ProviderContext context(long seed) {
        return TestProviderContext.builder().platform(platform()).kernel(kernel()).seed(seed).build();
    }

    @Nested
    @DisplayName("event stream")
    class Stream {

        @Test
        @DisplayName("is identical for the same seed")
        void sameSeed_sameEvents() {
            assertThat(drive(7, h -> false).events).isEqualTo(drive(7, h -> false).events);
        }

        @Test
        @DisplayName("is valid: frees name live handles, orders and CPUs in range, time monotone")
        void stream_isValid() {
            Drive run = drive(1, h -> false);
            assertThat(run.events).as("events produced").isNotEmpty();
        }

        @Test
        @DisplayName("ends with the announced number of events when expectedEvents() is known")
        void stream_matchesExpectedEvents() {
            try (Workload w = createWorkload(context(3))) {
                long expected = w.expectedEvents();
                Event e = new Event();
                long count = 0;
                while (count <= eventLimit() && w.next(e)) {
                    count++;
                }
                if (expected >= 0 && count <= eventLimit()) {
                    assertThat(count).isEqualTo(expected);
                }
            }
        }
    }

    @Nested
    @DisplayName("allocationFailed")
    class AllocationFailed {

        @Test
        @DisplayName("is honoured: a failed handle is never freed")
        void failedHandles_neverFreed() {
            Drive run = drive(2, h -> Math.floorMod(h * 0x9E3779B97F4A7C15L, 3) == 0);
            assertThat(run.failures).as("allocations the kit failed").isPositive();
        }

        @Test
        @DisplayName("is honoured when every allocation fails")
        void allFail_nothingFreed() {
            drive(4, h -> true);
        }
    }

    /** Reads the workload of {@code seed}, failing the allocations whose handle {@code fail} selects. */
    private Drive drive(long seed, LongPredicate fail) {
        Drive run = new Drive(PageOrders.maxOrder(kernel(), platform().kernelConfig()), platform().cpus());
        try (Workload w = createWorkload(context(seed))) {
            Event e = new Event();
            while (run.events.size() < eventLimit() && w.next(e)) {
                run.accept(e);
                if (run.isAllocation(e) && fail.test(e.handle())) {
                    run.failed(e);
                    w.allocationFailed(e.handle());
                }
            }
        }
        return run;
    }

    /** The checking model: live handles per kind, time, bounds. */
    private static final class Drive {
        final List<String> events = new ArrayList<>();
        final Map<Long, Integer> livePages = new HashMap<>();
        final Set<Long> liveKmalloc = new HashSet<>();
        final Map<Long, Set<Long>> liveObjects = new HashMap<>();
        final int maxOrder;
        final int cpus;
        long time = Long.MIN_VALUE;
        int failures;

        Drive(int maxOrder, int cpus) {
            this.maxOrder = maxOrder;
            this.cpus = cpus;
        }

        boolean isAllocation(Event e) {
            return e.type() == EventType.PAGE_ALLOC || e.type() == EventType.KMALLOC || e.type() == EventType.CACHE_ALLOC;
        }

        void failed(Event e) {
            failures++;
            switch (e.type()) {
                case PAGE_ALLOC -> livePages.remove(e.handle());
                case KMALLOC -> liveKmalloc.remove(e.handle());
                default -> liveObjects.get(e.cacheHandle()).remove(e.handle());
            }
        }

        void accept(Event e) {
            String at = "event " + events.size() + " " + e;
            events.add(e.toString());
            assertThat(e.type()).as(at).isNotNull();
            assertThat(e.timeNanos()).as("time never goes backwards: %s", at).isGreaterThanOrEqualTo(time);
            time = e.timeNanos();
            if (e.type() != EventType.TICK && e.type() != EventType.CACHE_CREATE && e.type() != EventType.CACHE_DESTROY) {
                assertThat(e.cpu()).as("cpu in [0, %d): %s", cpus, at).isBetween(0, cpus - 1);
            }
            switch (e.type()) {
                case PAGE_ALLOC -> {
                    assertThat(e.order()).as("order in [0, %d]: %s", maxOrder, at).isBetween(0, maxOrder);
                    assertThat(livePages.put(e.handle(), e.order())).as("handle is not already live: %s", at).isNull();
                }
                case PAGE_FREE -> assertThat(livePages.remove(e.handle())).as("frees a live page handle with its order: %s", at)
                        .isEqualTo(e.order());
                case KMALLOC -> {
                    assertThat(e.size()).as("size > 0: %s", at).isPositive();
                    assertThat(liveKmalloc.add(e.handle())).as("handle is not already live: %s", at).isTrue();
                }
                case KFREE -> assertThat(e.handle() == -1 || liveKmalloc.remove(e.handle()))
                        .as("kfree names a live kmalloc handle or -1: %s", at).isTrue();
                case CACHE_CREATE -> {
                    assertThat(e.name()).as("cache name: %s", at).isNotBlank();
                    assertThat(e.size()).as("size > 0: %s", at).isPositive();
                    assertThat(liveObjects.putIfAbsent(e.cacheHandle(), new HashSet<>())).as("new cache handle: %s", at).isNull();
                }
                case CACHE_ALLOC -> assertThat(cache(e, at).add(e.handle())).as("handle is not already live: %s", at).isTrue();
                case CACHE_FREE -> assertThat(cache(e, at).remove(e.handle())).as("frees a live object of that cache: %s", at).isTrue();
                case CACHE_DESTROY -> assertThat(liveObjects.remove(e.cacheHandle())).as("destroys a live cache: %s", at).isNotNull();
                case TICK, WRITEBACK -> {
                }
                case PAGE_ACCESS -> assertThat(livePages.containsKey(e.handle()))
                        .as("accesses a live page allocation (never a failed or freed one): %s", at).isTrue();
                case PAGE_FAULT, EXEC_MAP -> {
                    assertThat(e.handle()).as("mapping id >= 0 (0: the kernel's address space): %s", at).isNotNegative();
                    assertThat(e.allocation() < 0 || livePages.containsKey(e.allocation()))
                            .as("maps a live page allocation (never a failed one): %s", at).isTrue();
                    assertThat(e.address()).as("virtual address >= 0: %s", at).isNotNegative();
                }
                case MUNMAP -> assertThat(e.size()).as("unmaps a positive size: %s", at).isPositive();
                case DMA_MAP, DMA_UNMAP -> {
                    assertThat(e.size()).as("DMA size > 0: %s", at).isPositive();
                    assertThat(e.flags()).as("DMA direction 0, 1 or 2: %s", at).isBetween(0L, 2L);
                    assertThat(e.allocation() < 0 || livePages.containsKey(e.allocation()))
                            .as("DMA on a live page allocation: %s", at).isTrue();
                }
            }
        }

        private Set<Long> cache(Event e, String at) {
            Set<Long> objects = liveObjects.get(e.cacheHandle());
            assertThat(objects).as("names a live cache: %s", at).isNotNull();
            return objects;
        }
    }
}
