package org.bn4j.inception.train;

import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The output folder of a {@code train} run, held for the whole run: one writer at a time, never someone else's files.
 *
 * <p>{@link #claim} checks the folder (not a file; not a non-empty folder that is not a bn4j run), creates it, and
 * takes an OS lock on {@value #LOCK_FILE} inside it. The operating system releases the lock when the process ends,
 * however it ends, so a lock file left by a killed run is stale and simply taken over, while a live run's lock makes
 * a second {@code train} into the same folder a clear error. The lock file stays as the mark of a bn4j run folder. Once
 * the lock is held, temporary files of writes that a kill interrupted are deleted. {@link #close} releases the lock
 * and removes a folder this run created (with the parents it created) when nothing but the lock file was written to it
 * (for example when the data turned out to be unusable, such as one class only).
 */
public final class RunFolder implements AutoCloseable {

    /** The lock file, also the mark of a bn4j run folder. */
    public static final String LOCK_FILE = ".bn4j-run.lock";
    private static final Logger log = LoggerFactory.getLogger(RunFolder.class);

    private final Path dir;
    private final boolean created;
    /** The outermost folder this run created ({@code dir} or one of its parents), or null. */
    private final Path createdTop;
    private final FileChannel channel;
    private final FileLock lock;

    private RunFolder(Path dir, Path createdTop, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.created = createdTop != null;
        this.createdTop = createdTop;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes {@code dir} for a run (a {@link UserError} for every reason it cannot be); with {@code resume} the folder
     * must exist.
     */
    public static RunFolder claim(Path dir, boolean resume) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserError("--out " + dir + " is a file, not a folder; give a folder for the run");
        }
        if (resume && !Files.isDirectory(dir)) {
            throw new UserError("--resume: the folder " + dir + " does not exist; give the --out folder of the run "
                    + "to continue, or leave out --resume to start a new run");
        }
        Path createdTop = outermostMissing(dir);
        if (createdTop == null) {
            requireEmptyOrRun(dir);
        }
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (FileSystemException e) {
            throw new UserError("cannot write to the --out folder " + dir + " (" + reason(e) + "); give a folder "
                    + "you can write to", e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;                                        // held by this JVM
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new UserError(dir + " is in use by another train run (" + holder + "); wait until it ends, or "
                    + "choose another --out folder");
        }
        String previous = holder(channel);
        if (!previous.isEmpty()) {
            log.debug("took over the lock of {} ({}, no longer running)", dir, previous);
        }
        byte[] me = ("pid " + ProcessHandle.current().pid() + " (" + ManagementFactory.getRuntimeMXBean().getName()
                + ") since " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(me), 0);
        RunFolder folder = new RunFolder(dir, createdTop, channel, lock);
        folder.deleteInterruptedWrites();
        return folder;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        try {
            if (created && onlyLockFileLeft()) {
                Files.deleteIfExists(dir.resolve(LOCK_FILE));
                Files.deleteIfExists(dir);
                deleteCreatedParents();
            }
        } finally {
            lock.release();
            channel.close();
        }
    }

    /** The outermost of {@code dir} and its parents that does not exist, or null when {@code dir} exists. */
    private static Path outermostMissing(Path dir) {
        Path top = null;
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            top = p;
        }
        return top;
    }

    /** The parents of {@code dir} that {@link #claim} created, while they are empty ({@code --out runs/a/b}). */
    private void deleteCreatedParents() throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        for (Path p = absolute.getParent(); p != null && p.startsWith(createdTop); p = p.getParent()) {
            if (!list(p).isEmpty()) {
                return;
            }
            Files.deleteIfExists(p);
        }
    }

    /** A non-empty folder must be a bn4j run: the lock file, a checkpoint, or a readable run manifest. */
    private static void requireEmptyOrRun(Path dir) throws IOException {
        List<String> names = list(dir);
        if (names.isEmpty() || names.contains(LOCK_FILE) || names.contains(CheckpointStore.FILE_NAME)
                || isManifest(dir.resolve(TrainingRun.MANIFEST_FILE))) {
            return;
        }
        throw new UserError("--out " + dir + " is not empty and is not a bn4j run folder (it holds "
                + String.join(", ", names.subList(0, Math.min(5, names.size()))) + (names.size() > 5 ? ", ..." : "")
                + "); train writes run.json, metrics.csv, checkpoint.zip and model.zip there and would overwrite "
                + "files of the same name. Give a new or empty folder");
    }

    private static boolean isManifest(Path file) {
        try {
            return Files.isRegularFile(file) && Json.read(file, RunManifest.class).formatVersion() > 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Temporary files of {@link org.bn4j.inception.AtomicFiles} whose write a kill interrupted. */
    private void deleteInterruptedWrites() throws IOException {
        for (String name : list(dir)) {
            if (name.startsWith(".") && name.endsWith(".tmp")) {
                Files.deleteIfExists(dir.resolve(name));
                log.info("deleted {}, left by an interrupted write", dir.resolve(name));
            }
        }
    }

    private boolean onlyLockFileLeft() throws IOException {
        return list(dir).equals(List.of(LOCK_FILE));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(4096, channel.size()));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
    }

    private static String reason(FileSystemException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }
}
