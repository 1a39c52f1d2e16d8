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
        String decode = o.decode() == null || o.decode().isEmpty() ? "thread" : o.decode();
        if (!decode.equals("thread") && !decode.equals("batch") && !decode.equals("record")) {
            throw new IllegalArgumentException("trace option decode must be thread, batch or record: " + decode);
        }
        if (o.tickNanos() < 0) {
            throw new IllegalArgumentException("trace option tick-nanos must be >= 0: " + o.tickNanos());
        }
        Path file = context.resolvePath(o.file());
        TraceFormat format = o.format().equals("auto") ? TraceFormat.detect(file) : TraceFormat.parse(o.format());
        boolean simulatedFrees = simulatedReclaimFrees(o, mode);
        // simulated reclaim frees read the vmscan events too: they say which frees reclaim made
        TraceReader reader = format.open(file, context.kernel(),
                new TraceReadOptions(o.skipBad(), blankToNull(o.fromMarker()), blankToNull(o.toMarker()), simulatedFrees,
                        context.kernelConfig().pageSize()));
        if (mode == TraceWorkload.Mode.EXACT) {
            reader = MachineRangeReader.of(reader, file.toString(), context.pageAllocator(), context.platform().name());
        }
        SimulatedReclaimFrees.Context reclaimContext = simulatedFrees ? SimulatedReclaimFrees.context(reader) : null;
        RecordBatches batches = null;
        if (reader instanceof BinaryTraceReader binary && mode == TraceWorkload.Mode.POLICY && !simulatedFrees
                && !decode.equals("record")) {
            boolean thread = decode.equals("thread") && Runtime.getRuntime().availableProcessors() > 1;
            batches = new RecordBatches(binary, thread, RecordBatches.BATCH);
        }
        TraceWorkload w = new TraceWorkload(simulatedFrees ? reclaimContext : reader, batches, mode, context.cpus(),
                context.pageAllocator().maxOrder(), o.tickNanos(), o.slabObjects());
        return simulatedFrees ? SimulatedReclaimFrees.workload(w, reclaimContext) : w;
    }

    private static boolean simulatedReclaimFrees(TraceWorkloadOptions o, TraceWorkload.Mode mode) {
        String r = o.reclaimFrees() == null ? "trace" : o.reclaimFrees();
        return switch (r) {
            case "trace" -> false;
            case "simulated" -> {
                if (mode != TraceWorkload.Mode.POLICY) {
                    throw new IllegalArgumentException("trace option reclaim-frees simulated needs mode policy (exact mode"
                            + " places every page where the trace did, so the trace's frees must be replayed): " + o.mode());
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("trace option reclaim-frees must be trace or simulated: " + r);
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
