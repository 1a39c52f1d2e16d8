package io.kmemsim.testkit.contract;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The outcome of running a kit (a contract test class) in-process with the JUnit Platform: how many
 * tests ran and which failed. For mutant tests — prove that the kit, extended for a deliberately broken
 * copy of your component, fails, and on the right tests — and for self-checks that a kit ran at all:
 *
 * <pre>{@code
 * @Test
 * void kitCatchesAPolicyThatNeverRecordsItsFallbacks() {
 *     KitRun run = KitRun.of(SilentPolicyKit.class);      // a nested subclass of the kit
 *     assertThat(run.testsRun()).isPositive();
 *     assertThat(run.failed()).contains("fallback_recordsExactlyOneFallbackPerBlock");
 * }
 * }</pre>
 *
 * @param testsRun the test methods that ran (passed or failed; skipped ones are not counted)
 * @param failed   the names of the test methods that failed or aborted
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record KitRun(int testsRun, Set<String> failed) {

    public KitRun {
        failed = Set.copyOf(failed);
    }

    /** Runs every test of {@code kit} (its nested classes included) on the Jupiter engine. */
    public static KitRun of(Class<?> kit) {
        Set<String> failed = new TreeSet<>();
        int[] ran = {0};
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                if (!id.isTest()) {
                    return;
                }
                ran[0]++;
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL && id.getSource().orElse(null) instanceof MethodSource m) {
                    failed.add(m.getMethodName());
                }
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit))
                .filters(EngineFilter.includeEngines("junit-jupiter")).build(), listener);
        return new KitRun(ran[0], failed);
    }

    /** True when at least one test ran and none failed. */
    public boolean passed() {
        return testsRun > 0 && failed.isEmpty();
    }
}
