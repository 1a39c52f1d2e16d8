package io.kmemsim.engine.results;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The temporary files and directories this process writes before it renames them into place, and the one
 * lock under which they are committed — so that a shutdown (SIGINT, SIGTERM, the JVM exiting) leaves every
 * output either as it was before or complete, and no temporary behind.
 *
 * <p>Naming: a temporary sibling of {@code NAME} is {@code .NAME.kmemsim-tmp-PID-N} (the process id, a
 * counter); a directory being replaced is parked as {@code .NAME.kmemsim-old-PID-N} for the moment
 * between the two renames. A later run recognises these names in the directory it writes to: when
 * process {@code PID} is no longer alive (it was killed, e.g. by SIGKILL), the temporary is deleted and a
 * parked old directory whose {@code NAME} is missing is renamed back (the old complete directory wins).
 *
 * <p>Temporaries are created with {@link Files#createDirectory} and {@link StandardOpenOption#CREATE_NEW},
 * so they (and what is renamed from them) honour the umask: mode 0644 for files and 0755 for directories
 * under umask 022.
 *
 * <p>Shutdown: {@link #shutdown()} (the CLI's shutdown hook calls it) takes the commit lock, so a commit
 * that has begun (writing a results directory's files and renaming it into place) completes first; it
 * then refuses every later commit and deletes every registered temporary. The main thread may go on
 * writing into a deleted temporary until the JVM halts; nothing of it becomes visible.
 */
public final class Temporaries {

    private static final String TMP = ".kmemsim-tmp-";
    private static final String OLD = ".kmemsim-old-";
    private static final Pattern OURS = Pattern.compile("\\.(.+)\\.kmemsim-(tmp|old)-(\\d+)-(\\d+)");
    private static final Object LOCK = new Object();
    private static final Set<Path> REGISTERED = new LinkedHashSet<>();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static boolean shuttingDown;

    private Temporaries() {
    }

    /** The action a commit runs under the lock. */
    @FunctionalInterface
    public interface Commit<T> {
        /** Runs the commit. */
        T run() throws IOException;
    }

    /** Thrown instead of committing once {@link #shutdown()} has begun: the output stays as it was. */
    public static final class ShutdownInProgressException extends IOException {
        private static final long serialVersionUID = 1L;

        ShutdownInProgressException(Path target) {
            super("not written, kmemsim is stopping: " + target);
        }
    }

    /**
     * Creates and registers a new empty temporary file beside {@code target} (same directory, so it can be
     * renamed over it). Deletes stale temporaries of dead processes in that directory first.
     */
    public static Path newFile(Path target) throws IOException {
        Path dir = parentOf(target);
        cleanStale(dir);
        while (true) {
            Path tmp = sibling(target, TMP);
            synchronized (LOCK) {
                requireRunning(target);
                try {
                    Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                REGISTERED.add(tmp);
                return tmp;
            }
        }
    }

    /** As {@link #newFile} for a temporary directory. */
    public static Path newDirectory(Path target) throws IOException {
        Path dir = parentOf(target);
        Files.createDirectories(dir);
        cleanStale(dir);
        while (true) {
            Path tmp = sibling(target, TMP);
            synchronized (LOCK) {
                requireRunning(target);
                try {
                    Files.createDirectory(tmp);
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                REGISTERED.add(tmp);
                return tmp;
            }
        }
    }

    /**
     * Runs {@code commit} under the commit lock, unless a shutdown has begun.
     *
     * @throws ShutdownInProgressException when {@link #shutdown()} has begun
     */
    public static <T> T commit(Path target, Commit<T> commit) throws IOException {
        synchronized (LOCK) {
            requireRunning(target);
            return commit.run();
        }
    }

    /**
     * Writes {@code bytes} to {@code target} atomically: a registered temporary beside it (honouring the umask),
     * renamed over it; on any failure, or once a shutdown has begun, {@code target} stays as it was and no
     * temporary remains.
     */
    public static void writeFile(Path target, byte[] bytes) throws IOException {
        Path tmp = newFile(target);
        try {
            Files.write(tmp, bytes);
            commitFile(tmp, target);
        } finally {
            discard(tmp);
        }
    }

    /** Renames the registered temporary file {@code tmp} over {@code target} under the commit lock. */
    public static void commitFile(Path tmp, Path target) throws IOException {
        commit(target, () -> {
            Files.move(tmp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            REGISTERED.remove(tmp);
            return null;
        });
    }

    /** Deletes a registered temporary (file or directory tree) and forgets it; quiet when already gone. */
    public static void discard(Path tmp) {
        synchronized (LOCK) {
            REGISTERED.remove(tmp);
            deleteTree(tmp);
        }
    }

    /** Forgets {@code tmp} after it was renamed into place. Call with the commit lock held (inside a commit). */
    static void committed(Path tmp) {
        REGISTERED.remove(tmp);
    }

    /** A fresh name for parking the directory {@code target} during its replacement. */
    static Path parkingName(Path target) {
        return sibling(target, OLD);
    }

    /**
     * Stops all further commits and deletes every registered temporary. Waits for a commit in progress.
     * Idempotent; meant for a shutdown hook.
     *
     * @return the temporaries deleted
     */
    public static List<Path> shutdown() {
        synchronized (LOCK) {
            shuttingDown = true;
            List<Path> deleted = new ArrayList<>(REGISTERED);
            for (Path p : deleted) {
                deleteTree(p);
            }
            REGISTERED.clear();
            return deleted;
        }
    }

    /** The temporaries registered now (for tests). */
    static List<Path> registered() {
        synchronized (LOCK) {
            return List.copyOf(REGISTERED);
        }
    }

    /**
     * Removes the temporaries that dead kmemsim processes left in {@code dir}, and renames back a parked
     * old directory whose target is missing.
     *
     * @return what was found and dealt with (deleted or restored)
     */
    public static List<Path> cleanStale(Path dir) {
        List<Path> cleaned = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return cleaned;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*.kmemsim-*")) {
            for (Path p : entries) {
                Matcher m = OURS.matcher(p.getFileName().toString());
                if (!m.matches() || alive(Long.parseLong(m.group(3)))) {
                    continue;
                }
                Path target = dir.resolve(m.group(1));
                if (m.group(2).equals("old") && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(p, target);
                } else {
                    deleteTree(p);
                }
                cleaned.add(p);
            }
        } catch (IOException | NumberFormatException e) {
            // best effort: a stale temporary that cannot be removed now is tried again next run
        }
        return cleaned;
    }

    private static boolean alive(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid);
        return p.isPresent() && p.get().isAlive();
    }

    private static void requireRunning(Path target) throws ShutdownInProgressException {
        if (shuttingDown) {
            throw new ShutdownInProgressException(target);
        }
    }

    private static Path sibling(Path target, String kind) {
        Path abs = target.toAbsolutePath();
        return parentOf(abs).resolve("." + abs.getFileName() + kind + ProcessHandle.current().pid() + "-"
                + COUNTER.incrementAndGet());
    }

    static Path parentOf(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        return parent == null ? abs.getRoot() : parent;
    }

    /** Deletes a file or a directory tree; quiet when it is gone or cannot be deleted. */
    static void deleteTree(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort; a next run recognises the name and tries again
        }
    }
}
