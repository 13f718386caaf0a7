package org.bn4j.inception;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader (or a run resumed after kill -9) sees either the old or the new content, never a
 * partial one: the content goes to a temporary file in the same folder, is flushed to disk, then renamed over the
 * target.
 */
public final class AtomicFiles {

    /** Something that writes the whole content to a stream. */
    @FunctionalInterface
    public interface Writer {
        /** Writes the content; the stream is closed by the caller. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Something that writes the whole content to a file path. */
    @FunctionalInterface
    public interface FileWriter {
        /** Writes the content to {@code file}. */
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Temporary files are created owner-only; the result should have ordinary rw-r--r-- permissions. */
    private static void readableByAll(Path file) throws IOException {
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Atomically replaces {@code target} with what {@code writer} writes to a stream. */
    public static void write(Path target, Writer writer) throws IOException {
        writeFile(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.writeTo(out);
            }
        });
    }

    /** Atomically replaces {@code target} with {@code text} in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Atomically replaces {@code target} with the file {@code writer} creates at the temporary path it is given. */
    public static void writeFile(Path target, FileWriter writer) throws IOException {
        writeFile(target, null, writer);
    }

    /**
     * As {@link #writeFile(Path, FileWriter)}, but once the new content is complete on disk the old {@code target}
     * (if any) is first renamed to {@code previous}: a damaged target then never leaves the reader without a copy.
     * Null {@code previous} keeps no copy.
     */
    public static void writeFile(Path target, Path previous, FileWriter writer) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        try {
            writer.writeTo(tmp);
            try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(tmp,
                    java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            readableByAll(tmp);
            if (previous != null && Files.exists(target)) {
                Files.move(target, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
