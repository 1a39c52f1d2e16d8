package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scenarios/page-cache.yaml, shrunk to a 512 MiB board and 300000 events, does what issue 15 asks of
 * it: kswapd and direct reclaim both reclaim, no allocation fails, and the summary and results.json
 * report reclaim; the trace holds the vmscan events.
 */
class ReclaimRunTest {

    @Test
    void pageCacheScenario_kswapdAndDirectReclaimRun_nothingFails(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("trace.txt");
        Cli cli = Cli.run("run", "../scenarios/page-cache.yaml",
                "--set", "platform.id=arm64-virt", "--set", "platform.options.size=512M",
                "--set", "workload.options.events=300000", "--set", "workload.options.files=2",
                "--set", "workload.options.file-mb=256", "--set", "workload.options.hot-mb=16",
                "--set", "workload.options.anon-mb-per-process=8", "--set", "workload.options.processes=2",
                "--set", "arch=null",
                "--trace-out", trace.toString(), "-o", dir.resolve("out").toString());
        assertThat(cli.status()).as(cli.err()).isZero();
        assertThat(cli.out()).containsPattern("reclaim    kswapd [1-9]\\d* runs, [1-9]\\d* scanned, [1-9]\\d* reclaimed; direct [1-9]\\d* stalls");
        JsonNode results = new ObjectMapper().readTree(dir.resolve("out/results.json").toFile());
        JsonNode reclaim = results.get("reclaim");
        assertThat(reclaim.get("kswapd").get("scanned").asLong()).isPositive();
        assertThat(reclaim.get("kswapd").get("reclaimed").asLong()).isPositive();
        assertThat(reclaim.get("direct").get("stalls").asLong() + reclaim.get("direct").get("scanned").asLong()).isPositive();
        assertThat(results.get("pages").get("failed").asLong()).isZero();
        assertThat(reclaim.get("lru").get("nr_file_pages").asLong()).isPositive();
        String vmstat = Files.readString(dir.resolve("out/vmstat"));
        assertThat(vmstat).containsPattern("(?m)^pgscan_kswapd [1-9]").containsPattern("(?m)^nr_inactive_file [1-9]");
        String text = Files.readString(trace);
        assertThat(text).contains("mm_vmscan_kswapd_wake: nid=0 order=0", "mm_vmscan_wakeup_kswapd: nid=0 order=0 gfp_flags=GFP_HIGHUSER_MOVABLE",
                "mm_vmscan_direct_reclaim_begin: order=0 gfp_flags=GFP_HIGHUSER_MOVABLE", "mm_vmscan_direct_reclaim_end: nr_reclaimed=",
                "flags=RECLAIM_WB_FILE|RECLAIM_WB_ASYNC");
    }
}
