package org.bn4j.math.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link CpuCache}: Linux's sysfs description of the caches, read into the level-2 size. */
class CpuCacheTest {

    @Test
    void readsTheLevelTwoDataOrUnifiedCache(@TempDir Path dir) throws IOException {
        cache(dir, 0, "1", "Data", "48K");
        cache(dir, 1, "1", "Instruction", "32K");
        cache(dir, 2, "2", "Unified", "2048K");
        cache(dir, 3, "3", "Unified", "266240K");
        assertEquals(2048L * 1024, CpuCache.fromSysfs(dir));
    }

    @Test
    void missingDescriptionGivesMinusOne(@TempDir Path dir) throws IOException {
        assertEquals(-1, CpuCache.fromSysfs(dir.resolve("absent")));
        cache(dir, 0, "1", "Data", "32K");
        assertEquals(-1, CpuCache.fromSysfs(dir));
    }

    @Test
    void sizesWithAndWithoutUnits() {
        assertEquals(512L * 1024, CpuCache.parseSize("512K\n"));
        assertEquals(1024L * 1024, CpuCache.parseSize("1M"));
        assertEquals(4096L, CpuCache.parseSize("4096"));
    }

    @Test
    void thisMachinesSizeIsPositive() {
        assertTrue(CpuCache.l2Bytes() > 0);
    }

    private static void cache(Path dir, int index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
