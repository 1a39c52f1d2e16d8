package io.kmemsim.bench.trace;

import io.kmemsim.engine.util.HandleTable;
import io.kmemsim.engine.util.LongMaps;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The event loop's handle map on the PFNs of REAL kernel traces (the bundles' {@code trace.txt.gz}: every
 * {@code mm_page_alloc} puts its PFN, every {@code mm_page_free} removes it, then the blocks left are removed),
 * fastutil's {@code Long2LongOpenHashMap} as {@code LongMaps} makes it (the loop's map before) against
 * {@link HandleTable} (the loop's map now), by thread CPU time, medians of 25 rounds of 20 passes, three times
 * per trace. One op is one put or remove. A real trace's PFNs spread over the machine's memory, unlike
 * {@link ReplayBenchmark}'s generated trace. This is a measuring tool: it prints its table on standard output.
 *
 * <pre>
 *   java -cp bench/target/classes:$(cat bench/target/cp.txt) io.kmemsim.bench.trace.HandleMapCpuTime \
 *        fixtures/bundles/amd64-2G-4cpu/trace.txt.gz fixtures/bundles/arm64-3G-6cpu/trace.txt.gz ...
 * </pre>
 */
public final class HandleMapCpuTime {

    private static final Pattern PAGE = Pattern.compile("(mm_page_alloc|mm_page_free): .*?pfn=(0x[0-9a-f]+|\\d+) order=(\\d+)");
    private static final int ROUNDS = 25;
    private static final int PASSES = 20;

    private HandleMapCpuTime() {
    }

    public static void main(String[] args) throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (String file : args) {
            long[] keys = new long[1 << 16];
            boolean[] alloc = new boolean[keys.length];
            int n = 0;
            int allocs = 0;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(Path.of(file))), StandardCharsets.US_ASCII))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    Matcher m = PAGE.matcher(line);
                    if (!m.find()) {
                        continue;
                    }
                    if (n == keys.length) {
                        keys = Arrays.copyOf(keys, n * 2);
                        alloc = Arrays.copyOf(alloc, n * 2);
                    }
                    String pfn = m.group(2);
                    long key = pfn.startsWith("0x") ? Long.parseLong(pfn.substring(2), 16) : Long.parseLong(pfn);
                    alloc[n] = m.group(1).equals("mm_page_alloc");
                    keys[n++] = key << 6 | Integer.parseInt(m.group(3)); // the value stored: the packed block
                    allocs += alloc[n - 1] ? 1 : 0;
                }
            }
            long ops = (long) PASSES * (n + allocs);
            for (int round = 0; round < 3; round++) {
                long[] fastutil = new long[ROUNDS];
                long[] table = new long[ROUNDS];
                long sum = 0;
                for (int r = 0; r < ROUNDS; r++) {
                    Long2LongOpenHashMap m = LongMaps.create(1 << 12, -1);
                    long t0 = threads.getCurrentThreadCpuTime();
                    for (int p = 0; p < PASSES; p++) {
                        for (int i = 0; i < n; i++) {
                            sum += alloc[i] ? m.put(keys[i] >>> 6, keys[i]) : m.remove(keys[i] >>> 6);
                        }
                        for (int i = 0; i < n; i++) {
                            sum += alloc[i] ? m.remove(keys[i] >>> 6) : 0;
                        }
                    }
                    fastutil[r] = threads.getCurrentThreadCpuTime() - t0;
                    HandleTable h = new HandleTable(1 << 12);
                    t0 = threads.getCurrentThreadCpuTime();
                    for (int p = 0; p < PASSES; p++) {
                        for (int i = 0; i < n; i++) {
                            sum -= alloc[i] ? h.put(keys[i] >>> 6, keys[i]) : h.remove(keys[i] >>> 6);
                        }
                        for (int i = 0; i < n; i++) {
                            sum -= alloc[i] ? h.remove(keys[i] >>> 6) : 0;
                        }
                    }
                    table[r] = threads.getCurrentThreadCpuTime() - t0;
                }
                Arrays.sort(fastutil);
                Arrays.sort(table);
                System.out.printf(Locale.ROOT, "%-60s round %d: fastutil %5.1f ns/op, HandleTable %5.1f ns/op (%d ops per pass set%s)%n",
                        file, round, fastutil[ROUNDS / 2] / (double) ops, table[ROUNDS / 2] / (double) ops, ops,
                        sum == 0 ? "" : ", RESULTS DIFFER");
            }
        }
    }
}
