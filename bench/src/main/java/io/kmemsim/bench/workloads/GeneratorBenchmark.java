package io.kmemsim.bench.workloads;

import io.kmemsim.api.plugin.WorkloadProvider;
import io.kmemsim.api.workload.Event;
import io.kmemsim.api.workload.Workload;
import io.kmemsim.bench.trace.EightGigMachine;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Events per second of each synthetic workload's {@code next()} with no host: the workload is created by
 * its provider (found with {@link ServiceLoader}, as the host finds it) with its default options but an
 * event count that is never reached, on the {@link EightGigMachine}; nothing consumes the events and no allocation is
 * ever reported failed, so this is the generator's own cost. One op is one event (ticks included).
 *
 * <p>Run (from the repository root, after {@code mvn -q install -pl bench -DskipTests}):
 * <pre>
 *   cd bench &amp;&amp; mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 *   java -cp target/classes:$(cat target/cp.txt) org.openjdk.jmh.Main 'io.kmemsim.bench.workloads.*' \
 *        -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class GeneratorBenchmark {

    /** Events to ask for: never reached, and small enough that events × ns-per-event (1000) fits a long. */
    private static final long UNBOUNDED = Long.MAX_VALUE / 1_000_000L;

    @Param({"churn", "fragmenter", "thp", "slab-churn", "mix"})
    public String workload;

    private Workload generator;
    private final Event event = new Event();

    /** A fresh generator per iteration, so every iteration starts from the same state. */
    @Setup(Level.Iteration)
    public void setUp() {
        EightGigMachine machine = new EightGigMachine("6.1");
        machine.newBuddy();
        generator = create(provider(workload), machine);
    }

    @Benchmark
    public long next() {
        if (!generator.next(event)) {
            throw new IllegalStateException("workload " + workload + " ended");
        }
        return event.handle() + event.order();
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static WorkloadProvider<Record> provider(String id) {
        for (WorkloadProvider p : ServiceLoader.load(WorkloadProvider.class)) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no workload provider with id " + id + " on the class path");
    }

    private static Workload create(WorkloadProvider<Record> p, EightGigMachine machine) {
        try {
            Record defaults = p.optionsType().getDeclaredConstructor().newInstance();
            return p.create(withEvents(defaults, UNBOUNDED), machine.context());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build default options of workload " + p.id(), e);
        }
    }

    /** {@code options} with its {@code events} component replaced (records have no withers). */
    private static Record withEvents(Record options, long events) throws ReflectiveOperationException {
        RecordComponent[] parts = options.getClass().getRecordComponents();
        Object[] values = new Object[parts.length];
        Class<?>[] types = new Class<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            types[i] = parts[i].getType();
            values[i] = parts[i].getName().equals("events") ? Long.valueOf(events) : parts[i].getAccessor().invoke(options);
        }
        Constructor<? extends Record> canonical = options.getClass().getDeclaredConstructor(types);
        return canonical.newInstance(values);
    }
}
