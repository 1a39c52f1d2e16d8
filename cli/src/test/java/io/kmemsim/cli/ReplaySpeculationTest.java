package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page rules of a binary replay run ahead on the decoding thread as if every allocation succeeded, and are
 * corrected on the run's thread for the PFNs whose allocation failed: on a machine far too small for the trace
 * (most large allocations fail), over a trace that comes back to the same few hundred PFNs (so a failed PFN is soon
 * freed, allocated again, or allocated while the trace still holds it), with failed-in-trace records, pre-existing
 * frees, ticks, kernel-internal records and slab objects, the results.json
 * of {@code decode: record} (the rules record by record), {@code batch} and {@code thread} are the same, with the
 * allocator's invariants checked; a trace cut mid-record stops all three at the same record with the same partial
 * results.
 */
class ReplaySpeculationTest {

    private static final String[] DECODES = {"record", "batch", "thread"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String scenario() throws Exception {
        return Path.of(ReplaySpeculationTest.class.getResource("/replay/pages.yaml").toURI()).toString();
    }

    private Path convert(String text, String name) throws Exception {
        Path source = dir.resolve(name + ".trace");
        Files.writeString(source, text);
        Path binary = dir.resolve(name + ".kmstrace");
        Cli c = Cli.run("trace", "convert", source.toString(), binary.toString());
        assertThat(c.status()).as(c.err()).isZero();
        return binary;
    }

    private List<JsonNode> replayEachWay(Path trace, int expectedStatus, String... extra) throws Exception {
        List<JsonNode> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String decode : DECODES) {
            Path out = dir.resolve(trace.getFileName() + "-" + decode + "-" + extra.length);
            List<String> args = new ArrayList<>(List.of("replay", trace.toString(), "--scenario", scenario(), "--quiet",
                    "--out", out.toString(), "--set", "platform.options.size=128M", "--set", "workload.options.decode=" + decode));
            args.addAll(List.of(extra));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertThat(r.status()).as(decode + ": " + r.err()).isEqualTo(expectedStatus);
            assertThat(r.errHasStackTrace()).as(r.err()).isFalse();
            errors.add(r.err());
            JsonNode json = JSON.readTree(out.resolve("results.json").toFile());
            ReplayDecodePathsTest.withoutHostTimes(json);
            results.add(json);
        }
        assertThat(errors).containsOnly(errors.get(0));
        return results;
    }

    @Test
    @DisplayName("most allocations fail on a 128 MiB machine, PFNs come back often: the same results.json record, batch and thread")
    void failuresOnReusedPfns_sameResultsEachWay() throws Exception {
        Path binary = convert(reusedPfns(25_000, 300, 7), "reuse");
        List<JsonNode> r = replayEachWay(binary, 0, "--set", "run.tick-nanos=3000000", "--set", "run.check-invariants-every=257");
        JsonNode pages = r.get(0).get("pages");
        assertThat(pages.get("failed").asLong()).as("allocations failed").isGreaterThan(300);
        JsonNode counters = r.get(0).get("counters").get("workload");
        for (String c : new String[] {"replay.failed_in_trace", "replay.pre_existing_frees", "replay.missing_frees",
                "replay.not_replayed_internal_events"}) {
            assertThat(counters.get(c).asLong()).as(c).isPositive();
        }
        assertThat(r.get(1)).isEqualTo(r.get(0));
        assertThat(r.get(2)).isEqualTo(r.get(0));

        List<JsonNode> slab = replayEachWay(binary, 0, "--set", "object-cache.id=slub",
                "--set", "workload.options.slab-objects=true", "--set", "run.check-invariants-every=1000");
        assertThat(slab.get(0).get("run").get("events").asLong()).isGreaterThan(r.get(0).get("run").get("events").asLong());
        assertThat(slab.get(1)).isEqualTo(slab.get(0));
        assertThat(slab.get(2)).isEqualTo(slab.get(0));
    }

    @Test
    @DisplayName("a trace cut mid-record after many failures: exit 2 each way, the same message and partial results")
    void cutAfterFailures_sameErrorAndPartialResults() throws Exception {
        byte[] bytes = Files.readAllBytes(convert(reusedPfns(12_000, 200, 19), "cut"));
        Path cut = dir.resolve("cut-short.kmstrace");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length * 3 / 4 + 3));
        List<JsonNode> r = replayEachWay(cut, 2);
        assertThat(r.get(0).get("pages").get("failed").asLong()).as("allocations failed").isPositive();
        assertThat(r.get(1)).isEqualTo(r.get(0));
        assertThat(r.get(2)).isEqualTo(r.get(0));
    }

    /**
     * A seeded 6.1 ftrace text trace of {@code lines} events on 4 CPUs over {@code pfns} PFNs: allocations of orders
     * 0–10, some failed in the trace; frees of any of the PFNs (live or not); the
     * kernel's internal page events; slab allocations and frees (pointers apart from the PFNs: the
     * loop and the workload keep slab and page handles apart only when they differ).
     */
    static String reusedPfns(int lines, int pfns, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("# tracer: nop\n");
        long micros = 1_000_000;
        java.util.Set<Long> objects = new java.util.HashSet<>();
        for (int i = 0; i < lines; i++) {
            micros += rnd.nextInt(1500);
            String head = String.format(Locale.ROOT, "a-1 [%03d] ..... %d.%06d: ", rnd.nextInt(4), micros / 1_000_000,
                    micros % 1_000_000);
            long pfn = 0x40000 + rnd.nextInt(pfns) * 0x800L;
            long ptr = 0xffff000012000000L + (long) rnd.nextInt(1 << 12) * 256;
            int what = rnd.nextInt(100);
            if (what >= 89 && what < 96 && !objects.add(ptr)) {
                what = 96; // a live object is not allocated again: free it instead
            }
            if (what >= 96) {
                objects.remove(ptr);
            }
            if (what < 50) {
                int r = rnd.nextInt(100);
                int order = r < 40 ? 0 : r < 60 ? 1 + rnd.nextInt(3) : 4 + rnd.nextInt(7);
                boolean failed = rnd.nextInt(100) < 2;
                sb.append(head).append(String.format(Locale.ROOT, "mm_page_alloc: page=%016x pfn=0x%x order=%d"
                        + " migratetype=%d gfp_flags=%s\n", failed ? 0 : 0xfffffc0000000000L + pfn * 64, failed ? 0 : pfn,
                        order, order == 0 ? 1 : 0, order == 0 ? "GFP_HIGHUSER_MOVABLE" : "GFP_KERNEL"));
            } else if (what < 85) {
                sb.append(head).append(String.format(Locale.ROOT, "mm_page_free: page=%016x pfn=0x%x order=0\n",
                        0xfffffc0000000000L + pfn * 64, pfn));
            } else if (what < 89) {
                sb.append(head).append(String.format(Locale.ROOT, "mm_page_alloc_zone_locked: page=%016x pfn=0x%x order=0"
                        + " migratetype=1 percpu_refill=1\n", 0xfffffc0000000000L + pfn * 64, pfn));
            } else if (what < 93) {
                sb.append(head).append(String.format(Locale.ROOT, "kmalloc: call_site=x+0x1/0x2 ptr=%016x bytes_req=%d"
                        + " bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1 accounted=false\n", ptr, 2048 + rnd.nextInt(2048)));
            } else if (what < 96) {
                sb.append(head).append(String.format(Locale.ROOT, "kmem_cache_alloc: call_site=x+0x1/0x2 ptr=%016x"
                        + " bytes_req=1024 bytes_alloc=1024 gfp_flags=GFP_KERNEL node=-1 accounted=false\n", ptr));
            } else {
                sb.append(head).append(String.format(Locale.ROOT, "kfree: call_site=x+0x1/0x2 ptr=%016x\n", ptr));
            }
        }
        return sb.toString();
    }
}
