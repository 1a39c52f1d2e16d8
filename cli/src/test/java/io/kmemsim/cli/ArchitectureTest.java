package io.kmemsim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.kmemsim.testkit.arch.ArchTests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The architecture rules (DESIGN.md, dependency rules) over every module: cli has all of them on its
 * test classpath. The class-count floor keeps the rules from passing on an empty import.
 */
class ArchitectureTest {

    /** Comfortably below the main classes of api + engine + the six plugins + testkit + cli today. */
    private static final int CLASS_FLOOR = 150;

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/io/kmemsim/archfixture/"))
                .importPackages("io.kmemsim");
    }

    @Test
    void importedClasses_areTheWholeCodeBase() {
        assertThat(classes.size()).isGreaterThanOrEqualTo(CLASS_FLOOR);
        for (String module : new String[] {"io.kmemsim.api", "io.kmemsim.engine", "io.kmemsim.cli", "io.kmemsim.testkit",
            "io.kmemsim.buddy", "io.kmemsim.policies", "io.kmemsim.arm64", "io.kmemsim.workloads", "io.kmemsim.slub"}) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(module))).as("classes of %s imported", module).isTrue();
        }
    }

    static Iterable<ArchRule> rules() {
        return ArchTests.all();
    }

    @ParameterizedTest
    @MethodSource("rules")
    void rule_holds(ArchRule rule) {
        rule.check(classes);
    }

    @Test
    void pluginRule_failsOnAPluginThatUsesTheEngine() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.kmemsim.archfixture");
        EvaluationResult result = ArchTests.pluginDependsOnlyOnApi("io.kmemsim.archfixture.buddy").evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(d -> assertThat(d).contains("BrokenPluginClass", "io.kmemsim.engine.InputException"));
    }

    @Test
    void featureTableRule_failsOnAnInlineVersionComparison() {
        JavaClasses fixture = new ClassFileImporter().importPackages("io.kmemsim.archfixture.versions");
        EvaluationResult result = ArchTests.VERSION_RULES_LIVE_IN_THE_FEATURE_TABLE.evaluate(fixture);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails())
                .anySatisfy(d -> assertThat(d).contains("InlineVersionCheck", "atLeast"));
    }
}
