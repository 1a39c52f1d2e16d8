package io.kmemsim.cli;

/** Java source of a workload provider for plugin jars built in tests. */
final class FailingPlugin {

    private FailingPlugin() {
    }

    /** A provider in package {@code <id's first word>} named by the caller, whose {@code create} runs {@code createBody}. */
    static String provider(String id, String createBody) {
        String pkg = id.substring(0, id.indexOf('-'));
        String cls = Character.toUpperCase(pkg.charAt(0)) + pkg.substring(1) + "Provider";
        return """
                package %s;

                import io.kmemsim.api.plugin.NoOptions;
                import io.kmemsim.api.plugin.ProviderContext;
                import io.kmemsim.api.workload.Workload;
                import io.kmemsim.api.plugin.WorkloadProvider;

                public final class %s implements WorkloadProvider<NoOptions> {
                    @Override public String id() { return "%s"; }
                    @Override public String description() { return "a test workload"; }
                    @Override public Class<NoOptions> optionsType() { return NoOptions.class; }
                    @Override public Workload create(NoOptions options, ProviderContext context) { %s }
                }
                """.formatted(pkg, cls, id, createBody);
    }
}
