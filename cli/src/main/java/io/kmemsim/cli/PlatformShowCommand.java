package io.kmemsim.cli;

import io.kmemsim.api.arch.Platform;
import io.kmemsim.api.kernel.KernelVersion;
import io.kmemsim.api.plugin.PlatformProvider;
import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import io.kmemsim.engine.bootlog.BootLine;
import io.kmemsim.engine.bootlog.BootLog;
import io.kmemsim.engine.plugin.FaultBoundary;
import io.kmemsim.engine.plugin.PluginFailureException;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.ProviderEntry;
import io.kmemsim.engine.run.FixedContext;
import io.kmemsim.engine.scenario.OptionTexts;
import io.kmemsim.engine.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemsim platform show NAME}: the kernel's boot lines about zones and memory for a platform
 * preset (mm/page_alloc.c: free_area_init(), mem_init_print_info() (6.1)), then, unless {@code --no-notes}, one {@code #} line per boot
 * line that is estimated or carries a remark.
 */
@Command(name = "show", description = "Print the kernel's boot lines (zones, memblock ranges, CMA, Memory) for a platform.",
        mixinStandardHelpOptions = true)
public final class PlatformShowCommand implements Callable<Integer> {

    private static final String SOURCE = "platform show";

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "the platform id, e.g. rock5b-plus-8g (see 'platform list')")
    String name;

    @Option(names = "--firmware", paramLabel = "F", description = "the firmware option, e.g. mainline, vendor, legacy")
    String firmware;

    @Option(names = "--kernel", paramLabel = "V", defaultValue = "6.1", description = "the kernel version (default: ${DEFAULT-VALUE})")
    String kernel;

    @Option(names = "--granule", paramLabel = "G", description = "the page size: 4K, 16K or 64K")
    String granule;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
            description = "any other platform option, its value read as YAML like a scenario's, e.g. -o cma=16M, -o size=4G, -o banks=[0x0+2G,0x100000000+2G]")
    List<String> options = new ArrayList<>();

    @Option(names = "--no-notes", description = "print only the boot lines, without the '#' notes")
    boolean noNotes;

    @Override
    public Integer call() {
        try {
            BootLog log = render();
            PrintWriter out = spec.commandLine().getOut();
            out.print(log.text());
            if (!noNotes) {
                printNotes(out, log.lines());
            }
            out.flush();
            return Failures.OK;
        } catch (InputException e) {
            return PlatformCommand.usageError(spec, e);
        }
    }

    private BootLog render() {
        KernelVersion version;
        try {
            version = KernelVersion.parse(kernel);
        } catch (IllegalArgumentException e) {
            throw problem("--kernel", e.getMessage());
        }
        try (PluginRegistry registry = PlatformCommand.openRegistry(spec)) {
            ProviderEntry entry = registry.require(PluginKind.PLATFORM, name, SOURCE);
            PlatformProvider<?> provider = (PlatformProvider<?>) entry.provider();
            Record bound = bindOptions(provider);
            Platform platform = create(entry, provider, bound, version);
            return BootLog.of(platform, version);
        }
    }

    private Platform create(ProviderEntry entry, PlatformProvider<?> provider, Record bound, KernelVersion version) {
        try {
            return FaultBoundary.call(entry, "create", () -> createTyped(provider, bound, FixedContext.builder(version).seed(ScenarioLoader.DEFAULT_SEED).build()));
        } catch (PluginFailureException e) {
            if (e.getCause() instanceof IllegalArgumentException bad) {
                throw problem(name, bad.getMessage());
            }
            throw e;
        }
    }

    private static <O extends Record> Platform createTyped(PlatformProvider<O> provider, Record options, ProviderContext context) {
        return provider.create(provider.optionsType().cast(options), context);
    }

    /**
     * The provider's default options with {@code --firmware}, {@code --granule} and {@code -o} applied, bound
     * by the scenario's binder: each value is read as YAML like a {@code --set} value (a list is {@code [a, b]}).
     */
    private Record bindOptions(PlatformProvider<?> provider) {
        List<String> given = new ArrayList<>();
        if (firmware != null) {
            given.add("firmware=" + firmware);
        }
        if (granule != null) {
            given.add("granule=" + granule);
        }
        given.addAll(options);
        return OptionTexts.bind(provider.optionsType(), given, SOURCE);
    }

    private static void printNotes(PrintWriter out, List<BootLine> lines) {
        for (int i = 0; i < lines.size(); i++) {
            BootLine l = lines.get(i);
            if (!l.note().isEmpty()) {
                out.println("# line " + (i + 1) + " (" + (l.isExact() ? "exact" : "estimated") + "): " + l.note());
            }
        }
    }

    private static InputException problem(String key, String message) {
        return new InputException(new InputProblem(SOURCE, 0, 0, key, message));
    }
}
