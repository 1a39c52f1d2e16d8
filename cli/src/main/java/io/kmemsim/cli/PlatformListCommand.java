package io.kmemsim.cli;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.plugin.PluginKind;
import io.kmemsim.engine.plugin.PluginRegistry;
import io.kmemsim.engine.plugin.ProviderEntry;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code kmemsim platform list}: the id and description of every platform provider, by id. */
@Command(name = "list", description = "List the platform providers: id and description.", mixinStandardHelpOptions = true)
public final class PlatformListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return list(spec);
    }

    static int list(CommandSpec spec) {
        PrintWriter out = spec.commandLine().getOut();
        try (PluginRegistry registry = PlatformCommand.openRegistry(spec)) {
            List<ProviderEntry> platforms = registry.providers(PluginKind.PLATFORM);
            int width = platforms.stream().mapToInt(e -> e.id().length()).max().orElse(0);
            for (ProviderEntry e : platforms) {
                out.println(String.format("%-" + Math.max(width, 1) + "s  %s", e.id(), e.provider().description()));
            }
        } catch (InputException e) {
            return PlatformCommand.usageError(spec, e);
        }
        out.flush();
        return Failures.OK;
    }
}
