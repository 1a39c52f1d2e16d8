package io.kmemsim.engine.trace;

import io.kmemsim.api.plugin.ProviderContext;
import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Workload;
import java.nio.file.Path;

/**
 * The {@code trace} workload: replays a real kernel trace (docs/trace-format.md) in {@code exact} or
 * {@code policy} mode. Registered by the engine itself, so every host has it; {@code kmemsim replay}
 * runs a scenario with it.
 */
public final class TraceWorkloadProvider implements WorkloadProvider<TraceWorkloadOptions> {

    @Override
    public String id() {
        return "trace";
    }

    @Override
    public String description() {
        return "Replay a kernel kmem trace (ftrace, trace-cmd, perf script or kmemsim binary), exact or through the simulated policies";
    }

    @Override
    public Class<TraceWorkloadOptions> optionsType() {
        return TraceWorkloadOptions.class;
    }

    @Override
    public Workload create(TraceWorkloadOptions o, ProviderContext context) {
        if (o.file() == null || o.file().isBlank()) {
            throw new IllegalArgumentException("trace option file must name the trace to replay");
        }
        TraceWorkload.Mode mode = switch (o.mode()) {
            case "exact" -> TraceWorkload.Mode.EXACT;
            case "policy" -> TraceWorkload.Mode.POLICY;
            default -> throw new IllegalArgumentException("trace option mode must be exact or policy: " + o.mode());
        };
        if (o.tickNanos() < 0) {
            throw new IllegalArgumentException("trace option tick-nanos must be >= 0: " + o.tickNanos());
        }
        Path file = context.resolvePath(o.file());
        TraceFormat format = o.format().equals("auto") ? TraceFormat.detect(file) : TraceFormat.parse(o.format());
        TraceReader reader = format.open(file, context.kernel(),
                new TraceReadOptions(o.skipBad(), blankToNull(o.fromMarker()), blankToNull(o.toMarker()), false,
                        context.kernelConfig().pageSize()));
        if (mode == TraceWorkload.Mode.EXACT) {
            reader = MachineRangeReader.of(reader, file.toString(), context.pageAllocator(), context.platform().name());
        }
        return new TraceWorkload(reader, mode, context.cpus(), context.pageAllocator().maxOrder(), o.tickNanos(),
                o.slabObjects());
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
