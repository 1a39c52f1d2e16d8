package io.kmemsim.engine.plugin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A plugin jar's provider index, {@code META-INF/kmemsim/providers}: one line
 * {@code <provider interface> <id> <provider class>} per provider the jar registers in
 * {@code META-INF/services}, written at build time (build-tools/ProviderIndex.java, run by the root pom's
 * {@code pf4j-plugin} profile for every built-in plugin). With it the registry knows a plugin's providers
 * by kind and id without loading a class, and loads and instantiates one only when a command selects it
 * ({@link ProviderCandidate}).
 *
 * <p>The index is used only when it is exactly the jar's registrations: every line well formed, and per
 * {@link PluginKind} the set of classes it names equal to the classes the jar's own
 * {@code META-INF/services/<provider interface>} lists (both read as text from the jar, no class loaded).
 * Otherwise — no index (a third-party plugin built without it), a damaged or stale one — {@link #read}
 * returns empty and the plugin is scanned with ServiceLoader as before. Lines of provider interfaces this
 * host does not know are left out, as ServiceLoader leaves them out.
 */
final class ProviderIndex {

    /** The index's path inside a plugin jar. */
    static final String PATH = "META-INF/kmemsim/providers";

    /** One indexed provider. */
    record Line(PluginKind kind, String id, String className) {
    }

    private ProviderIndex() {
    }

    /**
     * The index of the plugin jar {@code jar} (the one file its class loader reads; a parent's registrations
     * never count), when it is usable. Read with {@link JarFile}: a few entry lookups, no class loaded.
     */
    static Optional<List<Line>> read(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            JarEntry index = file.getJarEntry(PATH);
            if (index == null) {
                return Optional.empty();
            }
            Map<String, PluginKind> kinds = new java.util.HashMap<>();
            for (PluginKind kind : PluginKind.values()) {
                kinds.put(kind.providerInterface().getName(), kind);
            }
            List<Line> lines = new ArrayList<>();
            Map<PluginKind, Set<String>> indexed = new EnumMap<>(PluginKind.class);
            for (String raw : lines(file, index)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\s+");
                if (f.length != 3) {
                    return Optional.empty();
                }
                PluginKind kind = kinds.get(f[0]);
                if (kind != null) {
                    lines.add(new Line(kind, f[1], f[2]));
                    indexed.computeIfAbsent(kind, k -> new HashSet<>()).add(f[2]);
                }
            }
            for (PluginKind kind : PluginKind.values()) {
                Set<String> registered = new HashSet<>();
                JarEntry services = file.getJarEntry("META-INF/services/" + kind.providerInterface().getName());
                if (services != null) {
                    for (String raw : lines(file, services)) {
                        int hash = raw.indexOf('#');
                        String name = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
                        if (!name.isEmpty()) {
                            registered.add(name);
                        }
                    }
                }
                if (!registered.equals(indexed.getOrDefault(kind, Set.of()))) {
                    return Optional.empty();
                }
            }
            return Optional.of(List.copyOf(lines));
        } catch (IOException | RuntimeException e) {
            // an unreadable index is no index: the ServiceLoader scan then reports what is wrong with the jar
            return Optional.empty();
        }
    }

    private static List<String> lines(JarFile file, JarEntry entry) throws IOException {
        try (InputStream in = file.getInputStream(entry);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return r.lines().toList();
        }
    }
}
