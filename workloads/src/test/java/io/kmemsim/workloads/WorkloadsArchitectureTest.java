package io.kmemsim.workloads;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.kmemsim.testkit.arch.ArchTests;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WorkloadsArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.kmemsim.workloads");

    @Test
    @DisplayName("the plugin depends on the api and the JDK only")
    void dependsOnlyOnApi() {
        assertThat(MAIN.size()).isGreaterThan(20);
        ArchTests.pluginDependsOnlyOnApiAndJdk("io.kmemsim.workloads").check(MAIN);
    }

    @Test
    @DisplayName("only providers and options records are public; everything else is package-private")
    void publicSurface_isProvidersAndOptions() {
        classes().that().arePublic().and().areTopLevelClasses()
                .should().haveSimpleNameEndingWith("Provider").orShould().haveSimpleNameEndingWith("Options")
                .check(MAIN);
    }

    @Test
    @DisplayName("randomness and time are injected: no java.util.Random, no clock")
    void noUnseededRandomnessOrClock() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.util.Random")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .check(MAIN);
    }
}
