package io.kmemsim.engine.plugin;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The version of a provider found on the classpath: {@code Plugin-Version} from the manifest of the
 * jar holding its class (the built-in plugin jars have one), else the package's
 * {@code Implementation-Version}, else {@code "unknown"}; a blank value counts as missing.
 */
final class ClasspathVersion {

    static final String UNKNOWN = "unknown";

    private ClasspathVersion() {
    }

    static String of(Class<?> type) {
        return pluginVersion(type)
                .or(() -> Optional.ofNullable(type.getPackage()).map(Package::getImplementationVersion))
                .map(String::trim)
                .filter(v -> !v.isEmpty())
                .orElse(UNKNOWN);
    }

    /** Where {@code type} was loaded from: a jar or class directory, when the class loader says. */
    static Optional<Path> location(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Paths.get(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException | FileSystemNotFoundException e) {
            // not a file: URL (e.g. a jrt: or in-memory class); such a location has no manifest to read
            return Optional.empty();
        }
    }

    private static Optional<String> pluginVersion(Class<?> type) {
        Optional<Path> jar = location(type).filter(Files::isRegularFile);
        if (jar.isEmpty()) {
            return Optional.empty();
        }
        try (JarFile file = new JarFile(jar.get().toFile())) {
            Manifest manifest = file.getManifest();
            return manifest == null
                    ? Optional.empty()
                    : Optional.ofNullable(manifest.getMainAttributes().getValue("Plugin-Version")).filter(v -> !v.isBlank());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the manifest of " + jar.get() + ", which holds " + type.getName(), e);
        }
    }
}
