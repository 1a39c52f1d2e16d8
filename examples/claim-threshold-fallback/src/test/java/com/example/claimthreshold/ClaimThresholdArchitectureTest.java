package com.example.claimthreshold;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.kmemsim.testkit.arch.ArchTests;

/** kmemsim's rules for a plugin: only the api of kmemsim, and no printing. */
@AnalyzeClasses(packages = "com.example.claimthreshold", importOptions = ImportOption.DoNotIncludeTests.class)
class ClaimThresholdArchitectureTest {

    @ArchTest
    static final ArchRule onlyTheApi = ArchTests.pluginDependsOnlyOnApi("com.example.claimthreshold");

    @ArchTest
    static final ArchRule noConsole = ArchTests.ONLY_CLI_WRITES_TO_CONSOLE;
}
