package io.kmemsim.engine.twin.boot;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The text files of a bundle directory, each either {@code NAME} or {@code NAME.gz}. Missing and unreadable
 * files are input errors naming the file.
 */
final class BundleFiles {

    private final Path dir;

    BundleFiles(Path dir) {
        this.dir = dir;
        if (!Files.isDirectory(dir)) {
            throw new InputException(new InputProblem(dir.toString(), 0, 0, "", "not a directory (a capture bundle"
                    + " or a bench run directory is expected)"));
        }
    }

    Path dir() {
        return dir;
    }

    /** The file {@code name} or {@code name.gz}, if present. */
    Optional<Path> find(String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return Optional.of(plain);
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
    }

    /** The lines of a required file. */
    List<String> require(String name, String why) {
        Path p = find(name).orElseThrow(() -> new InputException(new InputProblem(dir.resolve(name).toString(), 0, 0, "",
                "missing (neither " + name + " nor " + name + ".gz is in the bundle): " + why)));
        return read(p);
    }

    /** The lines of an optional file. */
    Optional<List<String>> optional(String name) {
        return find(name).map(BundleFiles::read);
    }

    /** The first {@code kernel-config-*.txt[.gz]}, if any. */
    Optional<Path> kernelConfig() {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "kernel-config-*")) {
            List<Path> found = new ArrayList<>();
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (n.endsWith(".txt") || n.endsWith(".txt.gz")) {
                    found.add(p);
                }
            }
            found.sort(null);
            return found.stream().findFirst();
        } catch (IOException e) {
            throw new InputException(new InputProblem(dir.toString(), 0, 0, "", "cannot list the bundle: " + e.getMessage()));
        }
    }

    static List<String> read(Path p) {
        try (InputStream raw = Files.newInputStream(p);
             InputStream in = p.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                lines.add(l);
            }
            return lines;
        } catch (IOException e) {
            throw new InputException(new InputProblem(p.toString(), 0, 0, "", "cannot be read: " + e.getMessage()));
        }
    }
}
