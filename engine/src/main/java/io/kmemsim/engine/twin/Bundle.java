package io.kmemsim.engine.twin;

import io.kmemsim.engine.InputException;
import io.kmemsim.engine.InputProblem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * A capture bundle: the directory the bench ({@code shared/oracle/run.sh}) or the capture script writes,
 * one file per item, each possibly gzipped ({@code NAME.gz}). Missing required files are reported all at
 * once, naming each file and what it is for.
 */
public final class Bundle {

    /** The files a twin needs, with what each is for (reported when missing). */
    static final List<String[]> REQUIRED = List.of(
            new String[] {"buddyinfo.before.txt", "the free blocks per order at the start of the trace"},
            new String[] {"pagetypeinfo.before.txt", "the free blocks per migrate type and the pageblock counts at the start"},
            new String[] {"zoneinfo.before.txt", "the zones (start_pfn, spanned, present, managed), watermarks, protection and pagesets"},
            new String[] {"buddyinfo.after.txt", "the kernel's end state the twin is measured against"},
            new String[] {"trace.txt", "the kmem trace to replay"},
            new String[] {"uname.txt", "the kernel version and architecture"},
            new String[] {"nproc.txt", "the CPU count"});

    private final Path dir;

    private Bundle(Path dir) {
        this.dir = dir;
    }

    /** Opens {@code dir}, checking that every required file is there (plain or {@code .gz}). */
    public static Bundle open(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException(new InputProblem(dir.toString(), 0, 0, "", "not a directory (expected a capture bundle)"));
        }
        Bundle b = new Bundle(dir);
        List<InputProblem> problems = new ArrayList<>();
        for (String[] r : REQUIRED) {
            if (b.find(r[0]).isEmpty()) {
                problems.add(new InputProblem(dir.resolve(r[0]).toString(), 0, 0, "",
                        "missing (also looked for " + r[0] + ".gz): the bundle needs it for " + r[1]));
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        return b;
    }

    /** The directory. */
    public Path dir() {
        return dir;
    }

    /** The file {@code name} or {@code name.gz}, when present. */
    Optional<Path> find(String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return Optional.of(plain);
        }
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
    }

    boolean has(String name) {
        return find(name).isPresent();
    }

    /** The path used in messages for {@code name} (the file found, else the plain name). */
    String source(String name) {
        return find(name).orElse(dir.resolve(name)).toString();
    }

    /** The first file whose name starts with {@code prefix} (e.g. {@code kernel-config-}). */
    Optional<String> firstStartingWith(String prefix) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, prefix + "*")) {
            List<String> names = new ArrayList<>();
            for (Path p : s) {
                String n = p.getFileName().toString();
                names.add(n.endsWith(".gz") ? n.substring(0, n.length() - 3) : n);
            }
            return names.stream().sorted().findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Opens {@code name} (decompressing {@code .gz}); a missing file is an input problem. */
    BufferedReader reader(String name) {
        Path p = find(name).orElseThrow(() -> new InputException(new InputProblem(dir.resolve(name).toString(), 0, 0, "",
                "missing (also looked for " + name + ".gz)")));
        try {
            InputStream in = Files.newInputStream(p);
            if (p.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new InputException(new InputProblem(p.toString(), 0, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    /** The whole text of {@code name}. */
    String text(String name) {
        try (BufferedReader r = reader(name)) {
            StringBuilder sb = new StringBuilder();
            char[] buf = new char[8192];
            for (int n; (n = r.read(buf)) > 0; ) {
                sb.append(buf, 0, n);
            }
            return sb.toString();
        } catch (IOException e) {
            throw new InputException(new InputProblem(source(name), 0, 0, "", "cannot read: " + e.getMessage()));
        }
    }

    /** The bytes of a binary file such as {@code kpageflags.before.bin}, or empty when absent. */
    Optional<byte[]> bytes(String name) {
        Optional<Path> p = find(name);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream raw = Files.newInputStream(p.get());
             InputStream in = p.get().getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + p.get(), e);
        }
    }
}
