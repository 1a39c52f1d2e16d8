package io.kmemsim.engine.plugin;

import io.kmemsim.engine.fuzz.FuzzOracle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Replays {@code fuzz-corpus/plugin-manifest/}: each file is a manifest whose main attributes are put into
 * a working plugin jar (an attribute given as {@code Name: -} is removed), loaded beside a good plugin and
 * held to the same oracle as {@link PluginJarFuzzTest}.
 */
class PluginJarCorpusTest {

    @BeforeAll
    static void buildJars() throws IOException {
        PluginJarFuzzTest.buildJars();
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusManifest_loadsOrIsRefused_andTheGoodPluginWorks() {
        return FuzzOracle.corpus("plugin-manifest").stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> PluginJarFuzzTest.loadBesideGood(PluginJarFuzzTest.rewrite(PluginJarFuzzTest.baseJar, attributes(file), null),
                        "fuzzed.jar")));
    }

    private static Map<String, String> attributes(Path file) {
        try {
            Manifest m = new Manifest(new ByteArrayInputStream(Files.readAllBytes(file)));
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<Object, Object> e : m.getMainAttributes().entrySet()) {
                String v = e.getValue().toString();
                out.put(((Attributes.Name) e.getKey()).toString(), v.equals("-") ? null : v);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
