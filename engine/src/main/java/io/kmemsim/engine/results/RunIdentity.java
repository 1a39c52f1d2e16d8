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
 */
record RunIdentity(String scenarioName, String kernel, long seed, int cpus, List<ProviderUse> providers) {

    RunIdentity {
        providers = List.copyOf(providers);
    }
}
