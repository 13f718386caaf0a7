package org.bn4j.inception.train;

import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A SHA-256 over the content of every entry of a model zip (names and uncompressed bytes, in name order), stored in
 * the zip as entry {@value #ENTRY}. A zip's own CRCs are not checked by every reader, and a flipped byte inside
 * compressed weights can still inflate to wrong numbers; with the checksum a damaged model or checkpoint is detected
 * instead of loaded. Files written before the checksum existed have no entry and are not checked.
 */
final class ZipChecksum {

    /** The entry holding the checksum. */
    static final String ENTRY = "bn4j-sha256";

    private ZipChecksum() {
    }

    /** Adds the checksum of {@code zip}'s entries to it. */
    static void add(Path zip) throws IOException {
        ModelSerializer.addObjectToFile(zip.toFile(), ENTRY, of(zip));
    }

    /**
     * Checks {@code zip} against its stored checksum; an IOException saying what is wrong when it does not match or
     * the zip cannot be read through.
     */
    static void verify(Path zip) throws IOException {
        String actual = of(zip);
        boolean hasEntry;
        try (ZipFile file = new ZipFile(zip.toFile())) {
            hasEntry = file.getEntry(ENTRY) != null;
        }
        if (!hasEntry) {
            return;
        }
        String stored = ModelSerializer.getObjectFromFile(zip.toFile(), ENTRY);
        if (!actual.equals(stored)) {
            throw new IOException("its content does not match the checksum saved in it");
        }
    }

    private static String of(Path zip) throws IOException {
        MessageDigest digest = sha256();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            List<? extends ZipEntry> entries = Collections.list(file.entries());
            entries.sort(java.util.Comparator.comparing(ZipEntry::getName));
            byte[] buffer = new byte[1 << 16];
            for (ZipEntry entry : entries) {
                if (entry.getName().equals(ENTRY)) {
                    continue;
                }
                digest.update(entry.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                try (InputStream in = file.getInputStream(entry)) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        digest.update(buffer, 0, n);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
