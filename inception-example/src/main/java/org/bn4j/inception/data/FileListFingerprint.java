package org.bn4j.inception.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A fingerprint of a list of image files: SHA-256 over each file's absolute path, size and modification time, in list
 * order. Reading the attributes only (no file content), it costs one {@code stat} per file. A run saves the
 * fingerprint of its training images, so that {@code --resume} notices files added, removed, replaced or edited.
 */
public final class FileListFingerprint {

    private FileListFingerprint() {
    }

    /** The fingerprint of {@code images}' files, as "sha256:" and 64 hex digits. */
    public static String of(List<LabeledImage> images) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
        for (LabeledImage image : images) {
            Path file = image.file().toAbsolutePath();
            long size = -1;
            long modified = -1;
            try {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                size = attributes.size();
                modified = attributes.lastModifiedTime().toMillis();
            } catch (java.nio.file.NoSuchFileException e) {
                // a file gone since the scan: its fingerprint differs from the one it had, as it should
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the attributes of " + file, e);
            }
            digest.update((file + "\t" + size + "\t" + modified + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
