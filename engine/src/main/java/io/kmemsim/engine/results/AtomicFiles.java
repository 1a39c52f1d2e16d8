package io.kmemsim.engine.results;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a file so that readers see either the old file (or none) or the whole new one: the bytes go to a
 * temporary file {@code .NAME.*.tmp} in the same directory, which is then renamed over {@code NAME} with
 * {@link StandardCopyOption#ATOMIC_MOVE}. On any failure the temporary file is deleted and the target is
 * untouched. The data is not forced to the device (a crash of the machine, not of the JVM, may lose it).
 */
final class AtomicFiles {

    private AtomicFiles() {
    }

    /**
     * Writes {@code bytes} to {@code dir/name} atomically.
     *
     * @throws IOException naming the file when it cannot be written or renamed
     */
    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path target = dir.resolve(name);
        Path temp;
        try {
            temp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": cannot create a temporary file in " + dir
                    + ": " + e.getMessage(), e);
        }
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                out.write(bytes);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (AtomicMoveNotSupportedException e) {
            deleteQuietly(temp, e);
            throw new IOException("cannot write " + target + ": the file system cannot rename atomically", e);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path temp, Exception failure) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
