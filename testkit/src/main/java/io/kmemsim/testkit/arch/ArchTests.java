package io.kmemsim.testkit.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import io.kmemsim.api.kernel.KernelVersion;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * kmemsim's architecture rules (docs/plugins.md, "Architecture rules") as ArchUnit rules, for the project's
 * own architecture test and for plugin authors' CI:
 *
 * <pre>{@code
 * @AnalyzeClasses(packages = "com.example.mypolicy", importOptions = ImportOption.DoNotIncludeTests.class)
 * class MyPolicyArchitectureTest {
 *     @ArchTest
 *     static final ArchRule dependsOnlyOnApi = ArchTests.pluginDependsOnlyOnApi("com.example.mypolicy");
 *     @ArchTest
 *     static final ArchRule noConsole = ArchTests.ONLY_CLI_WRITES_TO_CONSOLE;
 * }
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ArchTests {

    /** The api's packages. */
    public static final String API = "io.kmemsim.api..";
    /** The engine's packages. */
    public static final String ENGINE = "io.kmemsim.engine..";
    /** The command line's packages. */
    public static final String CLI = "io.kmemsim.cli..";

    /** The base packages of the built-in plugins. */
    public static final List<String> BUILT_IN_PLUGIN_PACKAGES = List.of(
            "io.kmemsim.buddy", "io.kmemsim.slab", "io.kmemsim.slub", "io.kmemsim.arm64",
            "io.kmemsim.policies", "io.kmemsim.workloads");

    /** What the JDK offers a plugin or the api: the platform's packages. */
    private static final String[] JDK = {"java..", "javax.."};

    /** The api depends on the JDK only; {@code @API} stability annotations are allowed. */
    public static final ArchRule API_DEPENDS_ONLY_ON_JDK = classes().that().resideInAPackage(API)
            .should().onlyDependOnClassesThat().resideInAnyPackage(concat(JDK, API, "org.apiguardian.api.."))
            .because("the api is the stable contract plugins compile against; it must not drag libraries along");

    /** Every built-in plugin depends only on the api, the JDK and its own packages (never on another plugin). */
    public static final ArchRule BUILT_IN_PLUGINS_DEPEND_ONLY_ON_API = builtInPluginRules();

    /** The engine never names a plugin class: it finds plugins through their providers. */
    public static final ArchRule ENGINE_DOES_NOT_DEPEND_ON_PLUGINS = noClasses().that().resideInAPackage(ENGINE)
            .should().dependOnClassesThat().resideInAnyPackage(pluginPatterns())
            .because("the engine reaches plugins only through the api's providers");

    /** Only the command line writes to {@code System.out} / {@code System.err} (or prints stack traces). */
    public static final ArchRule ONLY_CLI_WRITES_TO_CONSOLE = noClasses().that().resideOutsideOfPackage(CLI)
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("libraries return strings and results; only the cli prints");

    /**
     * No cycles between packages under {@code io.kmemsim}, the api's own packages included (the provider
     * interfaces live with {@code Provider} and {@code ProviderContext} in {@code api.plugin}, which
     * depends on the SPI packages and never the other way round).
     */
    /**
     * Version-dependent behaviour is asked of the kernel feature table ({@code kernel.has(Feature.X)}), never by
     * comparing versions in place: only the table's own evaluator ({@code Span}), the version type and the gfp
     * name table (whose rows are flags with the versions that print them) compare versions.
     */
    public static final ArchRule VERSION_RULES_LIVE_IN_THE_FEATURE_TABLE = noClasses()
            .that().doNotHaveFullyQualifiedName("io.kmemsim.api.kernel.Span")
            .and().doNotHaveFullyQualifiedName("io.kmemsim.api.kernel.KernelVersion")
            .and().doNotHaveFullyQualifiedName("io.kmemsim.api.kernel.GfpHistory")
            .should().callMethod(KernelVersion.class, "atLeast", int.class, int.class)
            .orShould().callMethod(KernelVersion.class, "atLeast", int.class, int.class, int.class)
            .orShould().callMethod(KernelVersion.class, "inSeriesFrom", int.class, int.class, int.class)
            .orShould().callMethod(KernelVersion.class, "isSeries", int.class, int.class)
            .because("every version-dependent rule has one home, io.kmemsim.api.kernel.Feature: add a feature there and ask"
                    + " kernel.has(Feature.X) (issue 18; docs/kernel-features.md)");

    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("io.kmemsim.(**)").should().beFreeOfCycles()
            .allowEmptyShould(true);

    /** Every public type of the api declares its stability with {@code @API}. */
    public static final ArchRule PUBLIC_API_TYPES_ARE_ANNOTATED = classes().that().resideInAPackage(API).and().arePublic()
            .should().beAnnotatedWith(org.apiguardian.api.API.class)
            .because("plugin authors must see which api types are stable (STYLE.md, stability is marked)");

    private ArchTests() {
    }

    /**
     * The rule for a plugin (built in or third party): classes under {@code basePackage} use nothing of
     * kmemsim but the api — never the engine, the command line or another plugin (the host loads each
     * plugin jar on its own, so those classes are not there at run time, and they are not a stable
     * contract). Libraries are allowed: bundle them inside the plugin jar (docs/plugins.md, "Libraries").
     * Fails when {@code basePackage} has no classes, so a misspelt package cannot pass.
     */
    public static ArchRule pluginDependsOnlyOnApi(String basePackage) {
        return noClasses().that().resideInAPackage(basePackage + "..")
                .should().dependOnClassesThat(kmemsimOutside(basePackage))
                .because("a plugin may use only the kmemsim api (io.kmemsim.api..) of kmemsim: the engine, the cli and other"
                        + " plugins are not visible to a plugin jar at run time; see docs/plugins.md, section \"Architecture"
                        + " rules\", in the kmemsim repository");
    }

    /**
     * The stricter rule the built-in plugins follow: classes under {@code basePackage} depend only on the
     * JDK, the api (with its {@code @API} annotations) and {@code basePackage} itself — no library at all.
     */
    public static ArchRule pluginDependsOnlyOnApiAndJdk(String basePackage) {
        return classes().that().resideInAPackage(basePackage + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(concat(JDK, API, "org.apiguardian.api..", basePackage + ".."))
                .because("a built-in plugin compiles against the api and the JDK only (docs/plugins.md, section \"Architecture rules\")");
    }

    /** Classes of kmemsim that are neither the api nor under {@code basePackage}. */
    private static DescribedPredicate<JavaClass> kmemsimOutside(String basePackage) {
        return DescribedPredicate.describe("are kmemsim classes outside " + API + " and " + basePackage + "..",
                c -> c.getPackageName().startsWith("io.kmemsim.") && !c.getPackageName().startsWith("io.kmemsim.api")
                        && !(c.getPackageName() + ".").startsWith(basePackage + "."));
    }

    /** Every rule that holds for the whole kmemsim code base. */
    public static List<ArchRule> all() {
        return List.of(API_DEPENDS_ONLY_ON_JDK, BUILT_IN_PLUGINS_DEPEND_ONLY_ON_API, ENGINE_DOES_NOT_DEPEND_ON_PLUGINS,
                ONLY_CLI_WRITES_TO_CONSOLE, NO_PACKAGE_CYCLES, PUBLIC_API_TYPES_ARE_ANNOTATED, VERSION_RULES_LIVE_IN_THE_FEATURE_TABLE);
    }

    private static ArchRule builtInPluginRules() {
        List<ArchRule> rules = new ArrayList<>();
        for (String p : BUILT_IN_PLUGIN_PACKAGES) {
            rules.add(pluginDependsOnlyOnApiAndJdk(p).allowEmptyShould(true));
        }
        return CompositeArchRule.of(rules);
    }

    private static String[] pluginPatterns() {
        return BUILT_IN_PLUGIN_PACKAGES.stream().map(p -> p + "..").toArray(String[]::new);
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = new String[first.length + more.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
