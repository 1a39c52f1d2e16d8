package io.kmemsim.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.kernel.MigrateType;
import io.kmemsim.api.mm.PageAllocator;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.policy.FallbackPolicy;
import io.kmemsim.testkit.support.FakeFallbackContext.Handout;
import io.kmemsim.testkit.support.FakeFallbackContext;
import io.kmemsim.testkit.support.TestPlatforms;
import io.kmemsim.testkit.support.TestProviderContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The {@link FallbackPolicy} contract, checked through the SPI on hand-drawn zones
 * ({@link FakeFallbackContext}: 4096 pages, pageblock order 9, largest order 10) for every kernel of
 * {@link #kernels()}, every pcp migrate type as the request, and orders 0 and 3.
 *
 * <pre>{@code
 * class LinuxFallbackPolicyContractTest extends FallbackPolicyContract {
 *     @Override
 *     protected FallbackPolicy createPolicy(ProviderContext context) {
 *         return new LinuxFallbackProvider().create(new LinuxFallbackOptions(), context);
 *     }
 * }
 * }</pre>
 *
 * <p>What the kit checks: a call hands out at most one block and returns exactly that block (or
 * {@code NO_PAGE} having taken nothing); the same state and request give the same operations;
 * with {@code noFragment} only blocks of at least {@code pageblock_order} are taken from other types;
 * Isolate blocks are never taken; CMA blocks never serve a request that is not MOVABLE; an empty zone
 * gives {@code NO_PAGE}; every block handed out is recorded with exactly one
 * {@code recordFallback} (from a type other than the requested one, at an order between the request's
 * and the largest), and a {@code NO_PAGE} answer records none.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class FallbackPolicyContract {

    /** Pageblock order of the drawn zones. */
    protected static final int PAGEBLOCK_ORDER = 9;
    /** Largest order of the drawn zones. */
    protected static final int MAX_ORDER = 10;
    private static final long PAGES = 4096;

    /** Creates a fresh policy for the context's kernel. */
    protected abstract FallbackPolicy createPolicy(ProviderContext context);

    /** The kernels the kit creates the policy for. */
    protected List<String> kernels() {
        return List.of("5.10", "6.1", "6.12", "6.18");
    }

    /** A drawn zone: a name and how to draw it for a request type, given the two other pcp types. */
    private record Drawing(String name, boolean movableOnly, BiConsumer<FakeFallbackContext, MigrateType[]> draw) {
    }

    private static List<Drawing> drawings() {
        return List.of(
                new Drawing("large foreign blocks", false, (c, o) -> c
                        .free(0, 10, o[0]).free(1024, 9, o[1]).free(1536, 3, o[0]).free(2048, 0, o[1])),
                new Drawing("only small foreign blocks", false, (c, o) -> c
                        .free(0, 0, o[0]).free(4, 2, o[0]).free(520, 3, o[1]).free(1026, 1, o[1])),
                new Drawing("mixed sizes in shared pageblocks", false, (c, o) -> c
                        .free(8, 3, o[0]).free(256, 8, o[0]).free(512, 9, o[1]).free(2048, 10, o[0]).free(3072, 0, o[1])
                        .movablePages(0, 100)),
                new Drawing("empty zone", false, (c, o) -> {
                }),
                new Drawing("isolated blocks only", false, (c, o) -> c
                        .free(0, 10, MigrateType.ISOLATE).free(1024, 3, MigrateType.ISOLATE)),
                new Drawing("CMA blocks only", true, (c, o) -> c
                        .free(0, 10, MigrateType.CMA).free(2048, 9, MigrateType.CMA)));
    }

    /** One call: the context after it, the policy's answer. */
    private record Call(String what, FakeFallbackContext context, long result) {
    }

    private List<Call> runAll(boolean noFragment) {
        List<Call> calls = new ArrayList<>();
        for (String k : kernels()) {
            KernelVersion kernel = KernelVersion.parse(k);
            for (Drawing d : drawings()) {
                for (MigrateType requested : List.of(MigrateType.UNMOVABLE, MigrateType.MOVABLE, MigrateType.RECLAIMABLE)) {
                    if (d.movableOnly() && requested == MigrateType.MOVABLE) {
                        continue;
                    }
                    for (int order : new int[] {0, 3}) {
                        calls.add(call(kernel, d, requested, order, noFragment));
                    }
                }
            }
        }
        return calls;
    }

    private Call call(KernelVersion kernel, Drawing d, MigrateType requested, int order, boolean noFragment) {
        FakeFallbackContext c = new FakeFallbackContext(kernel, order, requested, PAGEBLOCK_ORDER, MAX_ORDER, PAGES)
                .noFragment(noFragment);
        MigrateType[] others = List.of(MigrateType.UNMOVABLE, MigrateType.MOVABLE, MigrateType.RECLAIMABLE).stream()
                .filter(t -> t != requested).toArray(MigrateType[]::new);
        d.draw().accept(c, others);
        FallbackPolicy policy = createPolicy(TestProviderContext.builder().platform(TestPlatforms.oneZone()).kernel(kernel).build());
        long result = policy.fallback(c);
        String what = "kernel " + kernel + ", " + d.name() + ", " + requested + " order " + order
                + (noFragment ? ", noFragment" : "");
        return new Call(what, c, result);
    }

    @Nested
    @DisplayName("a fallback")
    class Fallback {

        @Test
        @DisplayName("hands out at most one block and returns exactly that block, or NO_PAGE having taken nothing")
        void fallback_returnsTheOneBlockItTook() {
            for (boolean noFragment : new boolean[] {false, true}) {
                for (Call call : runAll(noFragment)) {
                    List<Handout> out = call.context().handouts();
                    if (call.result() == PageAllocator.NO_PAGE) {
                        assertThat(out).as("%s: NO_PAGE but blocks were taken", call.what()).isEmpty();
                    } else {
                        assertThat(out).as("%s: blocks handed out", call.what()).extracting(Handout::pfn).containsExactly(call.result());
                    }
                }
            }
        }

        @Test
        @DisplayName("records exactly one fallback (mm_page_alloc_extfrag) per block handed out, from another type, and none for NO_PAGE")
        void fallback_recordsExactlyOneFallbackPerBlock() {
            for (boolean noFragment : new boolean[] {false, true}) {
                for (Call call : runAll(noFragment)) {
                    List<FakeFallbackContext.RecordedFallback> recorded = call.context().recordedFallbacks();
                    int handedOut = call.context().handouts().size();
                    assertThat(recorded).as("%s: recordFallback calls for %d block(s) handed out (the extfrag counter and"
                            + " compare's fallbacks column read them)", call.what(), handedOut).hasSize(handedOut);
                    for (FakeFallbackContext.RecordedFallback r : recorded) {
                        assertThat(r.fallbackType()).as("%s: recorded %s", call.what(), r).isNotEqualTo(call.context().requested());
                        assertThat(r.fallbackOrder()).as("%s: recorded %s", call.what(), r)
                                .isBetween(call.context().order(), MAX_ORDER);
                    }
                }
            }
        }

        @Test
        @DisplayName("is deterministic: the same state and request give the same operations")
        void fallback_isDeterministic() {
            List<Call> first = runAll(false);
            List<Call> second = runAll(false);
            for (int i = 0; i < first.size(); i++) {
                assertThat(second.get(i).context().log()).as(first.get(i).what()).isEqualTo(first.get(i).context().log());
                assertThat(second.get(i).result()).as(first.get(i).what()).isEqualTo(first.get(i).result());
            }
        }

        @Test
        @DisplayName("returns NO_PAGE in an empty zone")
        void fallback_emptyZone() {
            for (Call call : runAll(false)) {
                if (call.what().contains("empty zone")) {
                    assertThat(call.result()).as(call.what()).isEqualTo(PageAllocator.NO_PAGE);
                }
            }
        }

        @Test
        @DisplayName("with noFragment takes only blocks of at least pageblock_order from other types")
        void fallback_noFragmentTakesWholePageblocks() {
            for (Call call : runAll(true)) {
                for (Handout h : call.context().handouts()) {
                    if (h.fromType() != call.context().requested()) {
                        assertThat(h.fromOrder()).as("%s: took %s", call.what(), h).isGreaterThanOrEqualTo(PAGEBLOCK_ORDER);
                    }
                }
                if (call.what().contains("only small foreign blocks")) {
                    assertThat(call.result()).as(call.what()).isEqualTo(PageAllocator.NO_PAGE);
                }
            }
        }

        @Test
        @DisplayName("never takes Isolate blocks, and never CMA blocks for a request that is not MOVABLE")
        void fallback_neverIsolateOrForeignCma() {
            for (boolean noFragment : new boolean[] {false, true}) {
                for (Call call : runAll(noFragment)) {
                    for (Handout h : call.context().handouts()) {
                        assertThat(h.fromType()).as("%s: took %s", call.what(), h).isNotEqualTo(MigrateType.ISOLATE);
                        if (call.context().requested() != MigrateType.MOVABLE) {
                            assertThat(h.fromType()).as("%s: took %s", call.what(), h).isNotEqualTo(MigrateType.CMA);
                        }
                    }
                }
            }
        }
    }
}
