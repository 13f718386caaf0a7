package org.bn4j.math.cpu;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The size of one core's level-2 cache, read once at run time (Linux: {@code /sys/devices/system/cpu/cpu0/cache}),
 * for the fused passes of {@link CpuKernels}: a channel block whose data fits in half of it is read from memory once
 * and then again from the cache.
 *
 * <p>NOTE: read from the machine rather than a constant, because it differs by processor (AMD Zen 3: 512 KiB; Zen 4:
 * 1 MiB; Intel Xeon of the Sapphire/Emerald Rapids kind: 2 MiB). {@code -Dbn4j.cpu.l2Bytes=N} overrides it (0 turns
 * the fused passes off); where it cannot be read it is taken as {@value #UNKNOWN_L2} bytes, smaller than any of these.
 */
final class CpuCache {

    private static final Logger LOG = LoggerFactory.getLogger(CpuCache.class);

    /** Level-2 size assumed where the machine does not say (the smallest of current x86 server cores). */
    static final long UNKNOWN_L2 = 256 * 1024;

    private static final long L2_BYTES = detect();

    private CpuCache() {
    }

    /** Bytes of one core's level-2 cache (or the override). */
    static long l2Bytes() {
        return L2_BYTES;
    }

    private static long detect() {
        Long override = Long.getLong("bn4j.cpu.l2Bytes");
        if (override != null) {
            return Math.max(0, override);
        }
        long size = fromSysfs(Path.of("/sys/devices/system/cpu/cpu0/cache"));
        if (size <= 0) {
            LOG.info("bn4j CPU kernels: level-2 cache size unknown, assuming {} KiB", UNKNOWN_L2 / 1024);
            return UNKNOWN_L2;
        }
        LOG.debug("bn4j CPU kernels: level-2 cache {} KiB per core", size / 1024);
        return size;
    }

    /** The data or unified level-2 cache's size in bytes from a sysfs cache folder, or -1. */
    static long fromSysfs(Path cacheDir) {
        for (int index = 0; index < 8; index++) {
            Path dir = cacheDir.resolve("index" + index);
            try {
                if (!Files.isDirectory(dir) || !read(dir, "level").equals("2")
                        || read(dir, "type").equalsIgnoreCase("Instruction")) {
                    continue;
                }
                return parseSize(read(dir, "size"));
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }
        return -1;
    }

    /** {@code "2048K"}, {@code "1M"} or a plain byte count, in bytes. */
    static long parseSize(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (s.endsWith("K")) {
            unit = 1024;
        } else if (s.endsWith("M")) {
            unit = 1024 * 1024;
        }
        if (unit != 1) {
            s = s.substring(0, s.length() - 1);
        }
        return Long.parseLong(s) * unit;
    }

    private static String read(Path dir, String name) throws IOException {
        return Files.readString(dir.resolve(name)).trim();
    }
}
