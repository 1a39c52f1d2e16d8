package io.kmemsim.workloads;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;

/** Copies an options record with some components changed, by component name: {@code with(o, "events", 1000L)}. */
final class Options {

    private Options() {
    }

    @SuppressWarnings("unchecked")
    static <R extends Record> R with(R record, Object... namesAndValues) {
        RecordComponent[] comps = record.getClass().getRecordComponents();
        Object[] args = new Object[comps.length];
        try {
            for (int i = 0; i < comps.length; i++) {
                args[i] = comps[i].getAccessor().invoke(record);
            }
            for (int j = 0; j < namesAndValues.length; j += 2) {
                args[index(comps, (String) namesAndValues[j])] = namesAndValues[j + 1];
            }
            Class<?>[] types = Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> c = record.getClass().getDeclaredConstructor(types);
            return (R) c.newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code record} with its arch events off ({@code map-user-pages} false, {@code dma-fraction} 0). */
    static <R extends Record> R noArch(R record) {
        return with(record, "mapUserPages", false, "dmaFraction", 0.0);
    }

    private static int index(RecordComponent[] comps, String name) {
        for (int i = 0; i < comps.length; i++) {
            if (comps[i].getName().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no component " + name);
    }
}
