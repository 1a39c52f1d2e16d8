#!/usr/bin/env bash
# kmemsim's headline benchmarks and their peer (Netty's pooled allocator) in ONE JMH invocation, then the
# ratios issue 17 sets goals for. Usage, from anywhere:
#   bench/run.sh                 # 2 forks x 5 iterations (about 6 minutes on 2 cores)
#   bench/run.sh -f 1 -wi 1 -i 3 # quicker: arguments replace the default forks and iterations, and go to JMH
# Then the cold text-parsing shot (TextParseColdBenchmark, a fresh JVM per fork, COLD_FORKS=5) and its
# BufferedReader peer in a second invocation. Writes bench/target/jmh-peer.csv and jmh-cold.csv (JMH's CSVs)
# and prints the table. Run it on an idle machine; the script
# prints the load average before and after so the reader of the numbers knows.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
cd "$root"
# one reactor build: the classpath names this tree's modules (their target/ jars), never copies in ~/.m2
mvn -q -B -o -DskipTests -pl bench -am package dependency:build-classpath -Dmdep.outputFile=target/cp.txt
if tr ':' '\n' <bench/target/cp.txt | grep -q '/\.m2/.*/io/kmemsim/'; then
    echo "run.sh: the bench classpath names kmemsim jars from ~/.m2, not this tree's modules" >&2
    exit 2
fi
csv="$root/bench/target/jmh-peer.csv"
if [ $# -eq 0 ]; then
    set -- -f 2 -wi 3 -i 5
fi
# serialized with every other JMH run on the machine: wait for the lock on JMH's own lock file (JMH would
# refuse to start while another instance holds it), then note the load
exec 9>>/tmp/jmh.lock
flock 9
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)   $(nproc) cores   $(java -version 2>&1 | head -1)"
java -cp "bench/target/classes:$(cat bench/target/cp.txt)" org.openjdk.jmh.Main \
    'io.kmemsim.bench.buddy.BuddyBenchmark.order0Pair' \
    'io.kmemsim.bench.slub.SlubBenchmark.fastPathPair' \
    'io.kmemsim.bench.trace.ReplayBenchmark.(replay|replaySingleThread|workloadOnly|allocatorOnly)$' \
    'io.kmemsim.bench.trace.TextParseBenchmark.parse' \
    'io.kmemsim.bench.peer.NettyPoolBenchmark.pair' \
    -p kernel=6.1 -p mix=PAGES -rf csv -rff "$csv" "$@"
# the first million lines of text in a fresh JVM (issue 17: >= 3 M lines/s), next to BufferedReader.readLine
# over the same bytes, cold too: single shots, one per fork, so it needs its own invocation (no warm-up;
# the arguments above would warm it up); COLD_FORKS forks (default 5)
cold="$root/bench/target/jmh-cold.csv"
java -cp "bench/target/classes:$(cat bench/target/cp.txt)" org.openjdk.jmh.Main \
    'io.kmemsim.bench.trace.TextParseColdBenchmark' -bm ss -f "${COLD_FORKS:-5}" -wi 0 -i 1 \
    -p kernel=6.1 -p mix=PAGES -rf csv -rff "$cold"
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
# JMH CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit","Param: ..."
awk -F, '
    function unq(s) { gsub(/"/, "", s); return s }
    { sub(/\r$/, "") }
    FNR == 1 { for (h in col) { delete col[h] }; for (i = 1; i <= NF; i++) { h = unq($i); col[h] = i }; next }
    {
        b = unq($1); score = unq($5) + 0; err = unq($6) + 0
        if (b ~ /:/) { next }  # a secondary result of a profiler (-prof gc), not a score
        size = ("Param: size" in col) ? unq($(col["Param: size"])) : ""
        path = ("Param: path" in col) ? unq($(col["Param: path"])) : ""
        if (b ~ /BuddyBenchmark.order0Pair/) { buddy = score; buddyErr = err }
        else if (b ~ /SlubBenchmark.fastPathPair/) { slub = score; slubErr = err }
        else if (b ~ /ReplayBenchmark.replaySingleThread/) { replay1 = score }
        else if (b ~ /ReplayBenchmark.replay/) { replay = score }
        else if (b ~ /ReplayBenchmark.workloadOnly/) { workloadOnly = score }
        else if (b ~ /ReplayBenchmark.allocatorOnly/) { allocatorOnly = score }
        else if (b ~ /TextParseBenchmark.parse/) { parse = score }
        else if (b ~ /TextParseColdBenchmark.parseFirstMillion/) { cold = score }
        else if (b ~ /TextParseColdBenchmark.readLinesFirstMillion/) { coldPeer = score }
        else if (b ~ /NettyPoolBenchmark.pair/) { netty[size "/" path] = score; nettyErr[size "/" path] = err }
    }
    END {
        n = netty["4096/arena"]
        printf "\n%-52s %12s %10s\n", "measure (one JMH run)", "value", "goal"
        printf "%-52s %9.1f ns\n", "Netty pooled heap 4 KiB pair, arena path", n
        printf "%-52s %9.1f ns\n", "Netty pooled heap 4 KiB pair, thread-cache path", netty["4096/cache"]
        printf "%-52s %9.1f ns\n", "Netty pooled heap 2 MiB pair, arena path", netty["2097152/arena"]
        printf "%-52s %9.1f ns\n", "buddy order-0 pair (6.1)", buddy
        printf "%-52s %9.1f ns\n", "SLUB fast-path pair (6.1)", slub
        printf "%-52s %9.2f M/s\n", "binary replay into buddy, events (decode thread)", replay / 1e6
        printf "%-52s %9.2f M/s\n", "  the same on one thread (decode: batch)", replay1 / 1e6
        printf "%-52s %9.2f M/s\n", "  of it: trace workload alone (read + translate)", workloadOnly / 1e6
        printf "%-52s %9.2f M/s\n", "  of it: event loop + allocator (pre-decoded)", allocatorOnly / 1e6
        printf "%-52s %9.2f M/s %10s\n", "text parsing, page trace lines (warm)", parse / 1e6, ">= 5"
        printf "%-52s %9.2f M/s %10s\n", "text parsing, first million lines (cold JVM)", 1000 / cold, ">= 3"
        printf "%-52s %9.2f M/s\n", "  peer: BufferedReader.readLine, same lines, cold", 1000 / coldPeer
        printf "%-52s %11.2fx %10s\n", "buddy pair vs Netty arena pair (Netty / buddy)", n / buddy, ">= 5"
        printf "%-52s %11.2fx %10s\n", "SLUB pair vs Netty arena pair (Netty / SLUB)", n / slub, ">= 8"
        printf "%-52s %12.2f %10s\n", "replay events per Netty arena pair time", replay * n / 1e9, ">= 3"
        printf "%-52s %12.2f\n", "  the same, replay on one thread", replay1 * n / 1e9
    }' "$csv" "$cold"
