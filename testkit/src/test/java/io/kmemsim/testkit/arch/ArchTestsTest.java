package io.kmemsim.testkit.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

class ArchTestsTest {

    private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages("io.kmemsim.archfixture");

    @Test
    void pluginRule_allowsABundledLibrary() {
        EvaluationResult result = ArchTests.pluginDependsOnlyOnApi("io.kmemsim.archfixture.libplugin").evaluate(FIXTURE);
        assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
    }

    @Test
    void pluginRule_forbidsKmemsimOutsideTheApi_andPointsAtTheDocs() {
        EvaluationResult result = ArchTests.pluginDependsOnlyOnApi("io.kmemsim.archfixture.hostplugin").evaluate(FIXTURE);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("UsesTheHost", "io.kmemsim.testkit.support.TestPlatforms",
                "docs/plugins.md");
    }

    @Test
    void strictRule_forbidsTheLibraryToo() {
        EvaluationResult result = ArchTests.pluginDependsOnlyOnApiAndJdk("io.kmemsim.archfixture.libplugin").evaluate(FIXTURE);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(d -> assertThat(d).contains("org.assertj"));
    }

    @Test
    void pluginRule_failsOnAPackageWithoutClasses() {
        assertThatThrownBy(() -> ArchTests.pluginDependsOnlyOnApi("io.kmemsim.archfixture.misspelt").evaluate(FIXTURE))
                .isInstanceOf(AssertionError.class).hasMessageContaining("failed to check any classes");
    }
}
