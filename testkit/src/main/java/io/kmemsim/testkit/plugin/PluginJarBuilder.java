package io.kmemsim.testkit.plugin;

import io.kmemsim.api.ApiVersion;
import io.kmemsim.api.plugin.Provider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.apiguardian.api.API;

/**
 * Builds a real PF4J plugin jar from Java source strings, for tests that load plugins the way the
 * kmemsim CLI does (from a plugins directory) or the way an embedding application does (a jar on a
 * class loader).
 *
 * <p>The jar holds the compiled classes, one {@code META-INF/services/<provider interface>} file per
 * registered interface (the single registration kmemsim reads both through ServiceLoader and through
 * PF4J) and a manifest with {@code Plugin-Id}, {@code Plugin-Version}, {@code Plugin-Requires} and
 * {@code Plugin-Provider}. It has no {@code Plugin-Class}: kmemsim plugins need none.
 *
 * <pre>{@code
 * Path jar = PluginJarBuilder.plugin("demo")          // plugins: a JUnit TempDir
 *         .version("1.0.0")
 *         .requires(">=0.1.0")
 *         .source("demo.DemoProvider", """
 *                 package demo;
 *                 public final class DemoProvider implements WorkloadProvider<NoOptions> { ... }
 *                 """)
 *         .service(WorkloadProvider.class, "demo.DemoProvider")
 *         .build(plugins);
 * }</pre>
 *
 * <p>Sources are compiled in memory with the running JDK's compiler ({@link ToolProvider#getSystemJavaCompiler()};
 * tests must run on a JDK) against {@code java.class.path}, the jars or directories holding the kmemsim
 * api and every registered service interface, and any {@link #classpath extra entries}. A compile error
 * is an {@link IllegalStateException} carrying the compiler's diagnostics.
 *
 * <p>Registrations are written as given and are not checked against the sources, so a test can build a
 * deliberately broken plugin (a registration naming a missing class, a plugin asking for a newer api).
 * A builder is not thread-safe; each {@link #build} writes a fresh jar.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PluginJarBuilder {

    /** The default {@code Plugin-Version}. */
    public static final String DEFAULT_VERSION = "1.0.0";

    /** Every jar entry gets this time (2026-01-01T00:00:00Z), so equal inputs give equal jars. */
    private static final long ENTRY_TIME = 1_767_225_600_000L;

    /** Guarded by the class lock. */
    private static StandardJavaFileManager sharedFileManager;
    private static List<Path> sharedClasspath;

    private final String pluginId;
    private String version = DEFAULT_VERSION;
    private String requires = ">=" + ApiVersion.CURRENT;
    private String provider = "kmemsim-testkit";
    private String fileName;
    private final Map<String, String> extraAttributes = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, List<String>> services = new LinkedHashMap<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private final Set<Path> classpath = new LinkedHashSet<>();

    private PluginJarBuilder(String pluginId) {
        this.pluginId = pluginId;
    }

    /**
     * Starts a plugin jar with {@code Plugin-Id: pluginId}, version {@value #DEFAULT_VERSION} and
     * {@code Plugin-Requires: >=}{@link ApiVersion#CURRENT}.
     */
    public static PluginJarBuilder plugin(String pluginId) {
        Objects.requireNonNull(pluginId, "pluginId");
        if (pluginId.isBlank()) {
            throw new IllegalArgumentException("plugin id must not be blank");
        }
        return new PluginJarBuilder(pluginId);
    }

    /** Sets {@code Plugin-Version}. */
    public PluginJarBuilder version(String pluginVersion) {
        this.version = Objects.requireNonNull(pluginVersion, "pluginVersion");
        return this;
    }

    /** Sets {@code Plugin-Requires} (a PF4J version expression such as {@code >=0.1.0}); "" leaves it out. */
    public PluginJarBuilder requires(String apiVersionExpression) {
        this.requires = Objects.requireNonNull(apiVersionExpression, "apiVersionExpression");
        return this;
    }

    /** Sets {@code Plugin-Provider} (the plugin's author). */
    public PluginJarBuilder provider(String pluginProvider) {
        this.provider = Objects.requireNonNull(pluginProvider, "pluginProvider");
        return this;
    }

    /** Adds or overrides any main manifest attribute, e.g. {@code Plugin-Description}. */
    public PluginJarBuilder manifestAttribute(String name, String value) {
        extraAttributes.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Adds the source of the top-level class {@code className} (fully qualified, e.g. {@code demo.DemoProvider}). */
    public PluginJarBuilder source(String className, String javaSource) {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(javaSource, "javaSource");
        if (sources.putIfAbsent(className, javaSource) != null) {
            throw new IllegalArgumentException("source of class " + className + " given twice");
        }
        return this;
    }

    /** Registers implementation classes in {@code META-INF/services/<serviceInterface>}, in the order given. */
    public PluginJarBuilder service(Class<?> serviceInterface, String... implementationClassNames) {
        Objects.requireNonNull(serviceInterface, "serviceInterface");
        services.computeIfAbsent(serviceInterface.getName(), k -> new ArrayList<>())
                .addAll(List.of(implementationClassNames));
        classpath.add(codeSourceOf(serviceInterface));
        return this;
    }

    /** Adds a resource file, e.g. {@code demo/defaults.yaml}. */
    public PluginJarBuilder resource(String path, String content) {
        resources.put(Objects.requireNonNull(path, "path"), content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Adds jars or class directories the sources are compiled against (not put into the plugin jar). */
    public PluginJarBuilder classpath(Path... entries) {
        for (Path entry : entries) {
            classpath.add(entry.toAbsolutePath().normalize());
        }
        return this;
    }

    /** Sets the jar's file name; by default {@code <plugin id>-<version>.jar}. */
    public PluginJarBuilder fileName(String jarFileName) {
        this.fileName = Objects.requireNonNull(jarFileName, "jarFileName");
        return this;
    }

    /**
     * Compiles the sources and writes the jar into {@code directory} (created if missing), replacing a
     * file of the same name.
     *
     * @return the jar's absolute, normalized path
     * @throws IllegalStateException when a source does not compile (the message holds the diagnostics)
     */
    public Path build(Path directory) {
        Map<String, byte[]> classes = compile();
        Path jar = directory.toAbsolutePath().normalize()
                .resolve(fileName != null ? fileName : pluginId + "-" + version + ".jar");
        try {
            Files.createDirectories(jar.getParent());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest())) {
                for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                    write(out, c.getKey().replace('.', '/') + ".class", c.getValue());
                }
                for (Map.Entry<String, List<String>> s : services.entrySet()) {
                    String lines = s.getValue().stream().map(n -> n + "\n").collect(Collectors.joining());
                    write(out, "META-INF/services/" + s.getKey(), lines.getBytes(StandardCharsets.UTF_8));
                }
                for (Map.Entry<String, byte[]> r : resources.entrySet()) {
                    write(out, r.getKey(), r.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plugin jar " + jar, e);
        }
        return jar;
    }

    private Manifest manifest() {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Plugin-Id", pluginId);
        main.putValue("Plugin-Version", version);
        if (!requires.isEmpty()) {
            main.putValue("Plugin-Requires", requires);
        }
        main.putValue("Plugin-Provider", provider);
        extraAttributes.forEach(main::putValue);
        return manifest;
    }

    private static void write(JarOutputStream out, String name, byte[] content) throws IOException {
        JarEntry entry = new JarEntry(name);
        entry.setTime(ENTRY_TIME);
        out.putNextEntry(entry);
        out.write(content);
        out.closeEntry();
    }

    private Map<String, byte[]> compile() {
        Map<String, byte[]> classes = new TreeMap<>();
        if (sources.isEmpty()) {
            return classes;
        }
        List<JavaFileObject> units = sources.entrySet().stream()
                .map(e -> (JavaFileObject) new SourceString(e.getKey(), e.getValue()))
                .collect(Collectors.toList());
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean ok;
        synchronized (PluginJarBuilder.class) {
            StandardJavaFileManager standard = fileManager(compileClasspath());
            InMemoryOutput files = new InMemoryOutput(standard, classes);
            ok = compiler().getTask(null, files, diagnostics, List.of("-proc:none", "-Xlint:none"), null, units).call();
        }
        if (!ok) {
            throw new IllegalStateException("plugin '" + pluginId + "' does not compile:\n" + describe(diagnostics));
        }
        return classes;
    }

    private static JavaCompiler compiler() {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: PluginJarBuilder needs a JDK, not a JRE");
        }
        return javac;
    }

    /**
     * One file manager, kept for the JVM's life while the classpath stays the same: javac's file manager
     * caches what it read from the classpath jars, so later builds do not read them again.
     */
    private static StandardJavaFileManager fileManager(List<Path> compileClasspath) {
        if (sharedFileManager == null || !compileClasspath.equals(sharedClasspath)) {
            StandardJavaFileManager manager = compiler().getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
            try {
                manager.setLocationFromPaths(StandardLocation.CLASS_PATH, compileClasspath);
            } catch (IOException e) {
                throw new UncheckedIOException("bad compile classpath " + compileClasspath, e);
            }
            closeReplaced(sharedFileManager);
            sharedFileManager = manager;
            sharedClasspath = List.copyOf(compileClasspath);
        }
        return sharedFileManager;
    }

    private static void closeReplaced(StandardJavaFileManager replaced) {
        if (replaced == null) {
            return;
        }
        try {
            replaced.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the previous compiler file manager", e);
        }
    }

    private List<Path> compileClasspath() {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Paths.get(entry).toAbsolutePath().normalize());
            }
        }
        entries.add(codeSourceOf(Provider.class));
        entries.addAll(classpath);
        return entries.stream().filter(Files::exists).collect(Collectors.toList());
    }

    private static Path codeSourceOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            throw new IllegalArgumentException("cannot tell which jar or directory holds " + type.getName());
        }
        try {
            return Paths.get(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad code source of " + type.getName() + ": " + source.getLocation(), e);
        }
    }

    private static String describe(DiagnosticCollector<JavaFileObject> diagnostics) {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            String where = d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ";
            sb.append(where).append(d.getKind()).append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
        }
        return sb.toString();
    }

    /** One compilation unit held in a string. */
    private static final class SourceString extends SimpleJavaFileObject {
        private final String code;

        SourceString(String className, String code) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.code = code;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return code;
        }
    }

    /** Keeps every class file javac writes in a map from binary class name to bytes. */
    private static final class InMemoryOutput extends ForwardingJavaFileManager<StandardJavaFileManager> {
        private final Map<String, byte[]> classes;

        InMemoryOutput(StandardJavaFileManager delegate, Map<String, byte[]> classes) {
            super(delegate);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(JavaFileManager.Location location, String className,
                JavaFileObject.Kind kind, FileObject sibling) {
            return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                @Override
                public OutputStream openOutputStream() {
                    return new ByteArrayOutputStream() {
                        @Override
                        public void close() {
                            classes.put(className, toByteArray());
                        }
                    };
                }
            };
        }
    }
}
