package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ways a binary trace is replayed in policy mode (workload option {@code decode}): {@code record} (one
 * record at a time, every event pulled by the loop), {@code batch} (records decoded into batches, page events
 * pushed into the loop) and {@code thread} (the default: the batches decoded on a second thread) give the same
 * results.json, host times aside, on a real kernel trace and on generated mixes with allocation failures, ticks,
 * stale blocks, pre-existing frees and non-page events between the page events; a bad record mid-file stops all
 * three at the same record with the same message and the same partial results.
 */
class ReplayDecodePathsTest {

    private static final Path BUNDLE_TRACE = Path.of("..", "fixtures", "bundles", "capture-arm64-1G", "trace.txt.gz");
    private static final String[] DECODES = {"record", "batch", "thread"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String scenario() throws Exception {
        return Path.of(ReplayDecodePathsTest.class.getResource("/replay/pages.yaml").toURI()).toString();
    }

    private Path convert(Path text, String name) {
        Path binary = dir.resolve(name + ".kmstrace");
        Cli c = Cli.run("trace", "convert", text.toString(), binary.toString());
        assertThat(c.status()).as(c.err()).isZero();
        return binary;
    }

    /** Replays {@code trace} once per decode way; returns each run's results.json without host times, and its status. */
    private List<JsonNode> replayEachWay(Path trace, int expectedStatus, String... extra) throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (String decode : DECODES) {
            Path out = dir.resolve(trace.getFileName() + "-" + decode + "-" + extra.length);
            List<String> args = new ArrayList<>(List.of("replay", trace.toString(), "--scenario", scenario(), "--quiet",
                    "--out", out.toString(), "--set", "workload.options.decode=" + decode));
            args.addAll(List.of(extra));
            Cli r = Cli.run(args.toArray(String[]::new));
            assertThat(r.status()).as(decode + ": " + r.err()).isEqualTo(expectedStatus);
            assertThat(r.errHasStackTrace()).as(r.err()).isFalse();
            JsonNode json = JSON.readTree(out.resolve("results.json").toFile());
            withoutHostTimes(json);
            results.add(json);
        }
        return results;
    }

    /** Removes the host's times and the decode option (the only keys that may differ between the ways). */
    static void withoutHostTimes(JsonNode node) {
        if (node instanceof ObjectNode o) {
            o.remove(List.of("wallNanos", "loopNanos", "eventsPerSecond", "decode"));
        }
        for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
            withoutHostTimes(it.next());
        }
    }

    @Test
    @DisplayName("a real 6.1 trace (capture bundle) as binary: record, batch and thread give the same results.json")
    void realTrace_sameResultsEachWay() throws Exception {
        Path binary = convert(BUNDLE_TRACE, "capture");
        List<JsonNode> r = replayEachWay(binary, 0, "--set", "run.check-invariants-every=499");
        assertThat(r.get(0).get("run").get("events").asLong()).isGreaterThan(5000);
        assertThat(r.get(1)).isEqualTo(r.get(0));
        assertThat(r.get(2)).isEqualTo(r.get(0));
    }

    @Test
    @DisplayName("a generated mix with failures, stale blocks, ticks and slab records: the same results each way, slab objects off and on")
    void generatedMix_sameResultsEachWay() throws Exception {
        Path text = dir.resolve("mix.trace");
        Files.writeString(text, mix(30_000, true, 11));
        Path binary = convert(text, "mix");
        List<JsonNode> pages = replayEachWay(binary, 0, "--set", "run.tick-nanos=7000000");
        JsonNode counters = pages.get(0).get("counters").get("workload");
        assertThat(pages.get(0).get("pages").get("failed").asLong()).as("allocations failed").isPositive();
        for (String c : new String[] {"replay.failed_in_trace", "replay.pre_existing_frees", "replay.missing_frees",
                "replay.not_replayed_internal_events", "replay.slab_events_not_replayed"}) {
            assertThat(counters.get(c).asLong()).as(c).isPositive();
        }
        assertThat(pages.get(1)).isEqualTo(pages.get(0));
        assertThat(pages.get(2)).isEqualTo(pages.get(0));

        List<JsonNode> slab = replayEachWay(binary, 0, "--set", "object-cache.id=slub",
                "--set", "workload.options.slab-objects=true", "--set", "run.check-invariants-every=1000");
        assertThat(slab.get(0).get("run").get("events").asLong()).isGreaterThan(pages.get(0).get("run").get("events").asLong());
        assertThat(slab.get(1)).isEqualTo(slab.get(0));
        assertThat(slab.get(2)).isEqualTo(slab.get(0));
    }

    @Test
    @DisplayName("a corrupt record after several batches: exit 2 each way, the record, byte offset and field named, the same partial results")
    void corruptRecordMidFile_sameErrorAndPartialResults() throws Exception {
        Path text = dir.resolve("pages.trace");
        Files.writeString(text, mix(12_000, false, 5));
        byte[] bytes = Files.readAllBytes(convert(text, "pages"));
        // a page-only trace converts to fixed records only: walk them to record 9000 and set its reserved bit 63
        int at = 8 + 1 + 1 + bytes[9];
        for (int record = 1; record < 9000; record++) {
            assertThat(bytes[at] & 0xff).isIn(0x10, 0x11);
            at += bytes[at] == 0x10 ? 24 : 16;
        }
        bytes[at + 7] |= (byte) 0x80;
        Path corrupt = dir.resolve("corrupt.kmstrace");
        Files.write(corrupt, bytes);
        List<String> errors = new ArrayList<>();
        for (String decode : DECODES) {
            Cli r = Cli.run("replay", corrupt.toString(), "--scenario", scenario(), "--quiet", "--no-results",
                    "--set", "workload.options.decode=" + decode);
            assertThat(r.status()).as(decode).isEqualTo(2);
            assertThat(r.errHasStackTrace()).as(r.err()).isFalse();
            errors.add(r.err());
        }
        assertThat(errors.get(0)).contains(corrupt + ": record 9000 (at byte " + at + "): field reserved (bit 63 of the first word) is 1");
        assertThat(errors).containsOnly(errors.get(0));
        List<JsonNode> partial = replayEachWay(corrupt, 2);
        assertThat(partial.get(0).get("run").get("events").asLong()).isGreaterThan(8000);
        assertThat(partial.get(1)).isEqualTo(partial.get(0));
        assertThat(partial.get(2)).isEqualTo(partial.get(0));

        Path cut = dir.resolve("cut.kmstrace");
        Files.write(cut, java.util.Arrays.copyOf(bytes, at + 5));
        List<JsonNode> truncated = replayEachWay(cut, 2);
        assertThat(truncated.get(1)).isEqualTo(truncated.get(0));
        assertThat(truncated.get(2)).isEqualTo(truncated.get(0));
    }

    /**
     * A seeded 6.1 ftrace text trace of {@code lines} events on 4 CPUs: page allocations of orders 0–10, some failed in the trace (pfn 0), some of a PFN still live (a lost free); frees of live
     * PFNs and of PFNs never allocated; with {@code others}, the kernel's internal page events and slab object events
     * in between. High orders are freed rarely, so the 512 MiB machine of the scenario runs out of memory.
     */
    static String mix(int lines, boolean others, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("# tracer: nop\n");
        List<long[]> live = new ArrayList<>();
        List<Long> objects = new ArrayList<>();
        long nextPfn = 0x10000;
        long micros = 1_000_000;
        for (int i = 0; i < lines; i++) {
            micros += rnd.nextInt(2000);
            String head = String.format(Locale.ROOT, "a-1 [%03d] ..... %d.%06d: ", rnd.nextInt(4), micros / 1_000_000, micros % 1_000_000);
            int what = rnd.nextInt(100);
            if (others && what >= 85) {
                if (what < 89) {
                    long pfn = 0x1000 + rnd.nextInt(1 << 16);
                    sb.append(head).append(String.format(Locale.ROOT, "mm_page_alloc_zone_locked: page=%016x pfn=0x%x order=0"
                            + " migratetype=1 percpu_refill=1\n", 0xfffffc0000000000L + pfn * 64, pfn));
                } else if (what < 94 || objects.isEmpty()) {
                    long ptr = 0xffff000012000000L + (long) i * 256;
                    objects.add(ptr);
                    sb.append(head).append(what % 2 == 0
                            ? String.format(Locale.ROOT, "kmalloc: call_site=x+0x1/0x2 ptr=%016x bytes_req=%d bytes_alloc=256"
                                    + " gfp_flags=GFP_KERNEL node=-1 accounted=false\n", ptr, 100 + rnd.nextInt(150))
                            : String.format(Locale.ROOT, "kmem_cache_alloc: call_site=x+0x1/0x2 ptr=%016x bytes_req=192"
                                    + " bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false\n", ptr));
                } else {
                    long ptr = objects.remove(rnd.nextInt(objects.size()));
                    sb.append(head).append(String.format(Locale.ROOT, "kfree: call_site=x+0x1/0x2 ptr=%016x\n", ptr));
                }
                continue;
            }
            if (what < 52 || live.isEmpty()) {
                int r = rnd.nextInt(100);
                int order = r < 60 ? 0 : r < 75 ? 1 + rnd.nextInt(3) : r < 88 ? 4 + rnd.nextInt(5) : 9 + rnd.nextInt(2);
                if (rnd.nextInt(100) < 2) {
                    sb.append(head).append(String.format(Locale.ROOT, "mm_page_alloc: page=0000000000000000 pfn=0x0 order=%d"
                            + " migratetype=0 gfp_flags=GFP_KERNEL\n", order));
                    continue;
                }
                long pfn;
                if (!live.isEmpty() && rnd.nextInt(100) < 3) {
                    pfn = live.get(rnd.nextInt(live.size()))[0]; // still live: the trace lost its free
                } else {
                    pfn = nextPfn;
                    nextPfn += 1L << Math.min(order, 10);
                }
                live.add(new long[] {pfn, order});
                sb.append(head).append(String.format(Locale.ROOT, "mm_page_alloc: page=%016x pfn=0x%x order=%d migratetype=%d"
                        + " gfp_flags=%s\n", 0xfffffc0000000000L + pfn * 64, pfn, order, order == 0 ? 1 : 0,
                        order == 0 ? "GFP_HIGHUSER_MOVABLE" : "GFP_KERNEL"));
            } else {
                long pfn;
                int order;
                if (rnd.nextInt(100) < 4) {
                    pfn = 0x5000 + rnd.nextInt(1 << 12); // never allocated in the trace
                    order = 0;
                } else {
                    int k = rnd.nextInt(live.size());
                    long[] block = live.get(k);
                    if (block[1] >= 9 && rnd.nextInt(4) != 0) {
                        continue; // high orders stay allocated longer: memory runs out
                    }
                    live.set(k, live.get(live.size() - 1));
                    live.remove(live.size() - 1);
                    pfn = block[0];
                    order = (int) block[1];
                }
                sb.append(head).append(String.format(Locale.ROOT, "mm_page_free: page=%016x pfn=0x%x order=%d\n",
                        0xfffffc0000000000L + pfn * 64, pfn, order));
            }
        }
        return sb.toString();
    }
}
