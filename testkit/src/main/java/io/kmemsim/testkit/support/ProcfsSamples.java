package io.kmemsim.testkit.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Small {@code /proc} files for parser and renderer tests, kept once for every module (resources
 * {@code /procfs/NAME} of this jar): hand-checked samples in the kernel's exact layout of the version
 * their name gives. The real machines' files are the bundles under {@code fixtures/bundles/}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ProcfsSamples {

    /** Every sample, by name. */
    public static final List<String> NAMES = List.of("buddyinfo-x86-2nodes.txt", "buddyinfo-x86-6.1.txt",
            "pagetypeinfo-arm64-dma.txt", "pagetypeinfo-x86-2nodes.txt", "zoneinfo-arm64-5.10.txt",
            "zoneinfo-arm64-6.1.txt", "zoneinfo-arm64-6.19.txt", "zoneinfo-x86-6.12-full.txt");

    private ProcfsSamples() {
    }

    /** The text of sample {@code name}. */
    public static String text(String name) {
        try (InputStream in = ProcfsSamples.class.getResourceAsStream("/procfs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no procfs sample " + name + "; samples: " + NAMES);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes sample {@code name} into {@code dir} under its own name and returns the file. */
    public static Path copy(String name, Path dir) {
        try {
            return Files.writeString(dir.resolve(name), text(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
