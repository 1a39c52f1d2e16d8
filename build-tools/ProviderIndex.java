import io.kmemsim.api.plugin.Provider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a plugin module's provider index, {@code META-INF/kmemsim/providers} in its compiled classes,
 * at build time (the {@code pf4j-plugin} profile of the root pom runs it after compilation, as a Java
 * source-file program on the module's compile class path).
 *
 * <p>One line per provider the module registers in {@code META-INF/services/<provider interface>}:
 * {@code <provider interface> <id> <provider class>}, in the registration files' order. The host reads
 * the index instead of loading and instantiating every provider of a plugin at start, and loads a
 * provider's class only when a command selects it (engine {@code io.kmemsim.engine.plugin}, class
 * {@code ProviderIndex}; docs/performance.md, "Start-up"). A jar without the index, or whose index does
 * not list exactly its registrations, is scanned as before.
 *
 * <p>Arguments: the plugin id (nothing is written when it is empty: the module is no plugin) and the
 * compiled classes directory.
 */
public final class ProviderIndex {

    static final String INDEX = "META-INF/kmemsim/providers";

    public static void main(String[] args) throws IOException, ReflectiveOperationException {
        if (args.length < 2 || args[0].isBlank()) {
            return;
        }
        Path classes = Path.of(args[1]);
        Path services = classes.resolve("META-INF/services");
        List<String> lines = new ArrayList<>();
        if (Files.isDirectory(services)) {
            List<Path> files;
            try (Stream<Path> s = Files.list(services)) {
                files = s.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path file : files) {
                String iface = file.getFileName().toString();
                Class<?> type = Class.forName(iface, false, ProviderIndex.class.getClassLoader());
                if (!Provider.class.isAssignableFrom(type)) {
                    continue;
                }
                for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int hash = raw.indexOf('#');
                    String name = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
                    if (name.isEmpty()) {
                        continue;
                    }
                    Class<?> impl = Class.forName(name, false, ProviderIndex.class.getClassLoader());
                    Provider<?, ?> provider = (Provider<?, ?>) impl.getConstructor().newInstance();
                    String id = provider.id();
                    if (id == null || id.isBlank() || id.chars().anyMatch(Character::isWhitespace)) {
                        throw new IllegalStateException(name + ": id() must be a word, not '" + id + "'");
                    }
                    lines.add(iface + " " + id + " " + name);
                }
            }
        }
        Path index = classes.resolve(INDEX);
        Files.createDirectories(index.getParent());
        List<String> out = new ArrayList<>();
        out.add("# kmemsim provider index: <provider interface> <id> <provider class>, one per META-INF/services registration");
        out.add("# generated at build time by build-tools/ProviderIndex.java; do not edit");
        out.addAll(lines);
        Files.write(index, out, StandardCharsets.UTF_8);
    }
}
