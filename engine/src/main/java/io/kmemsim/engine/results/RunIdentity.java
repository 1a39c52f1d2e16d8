package io.kmemsim.engine.results;

import io.kmemsim.engine.run.ProviderUse;
import java.util.List;

/**
 * What ran, taken from the scenario when the run starts (no plugin call).
 *
 * @param scenarioName the scenario's name
 * @param kernel       the kernel version as written
 * @param seed         the scenario's seed
 * @param cpus         the simulated CPUs
 * @param providers    the providers used, in creation order
 * @param workloadId   the workload's provider id
 * @param workload     the workload's bound options (e.g. a replay's trace file and mode)
 */
record RunIdentity(String scenarioName, String kernel, long seed, int cpus, List<ProviderUse> providers,
                   String workloadId, Record workload) {

    RunIdentity {
        providers = List.copyOf(providers);
    }
}
