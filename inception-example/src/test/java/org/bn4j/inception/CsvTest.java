package org.bn4j.inception;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CsvTest {

    @TempDir
    Path dir;

    @Test
    void cellsAreQuotedOnlyWhenNeededAndReadBackAsWritten() throws IOException {
        Path file = dir.resolve("a.csv");
        List<String> tricky = List.of("1", "a,b", "say \"hi\"", "two\nlines", "");
        List<String> header = List.of("n", "comma", "quote", "break", "empty");
        List<String> plain = List.of("2", "x", "y", "z", "w");
        Csv.write(file, header, List.of(tricky, plain));

        assertEquals("n,comma,quote,break,empty\n1,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n2,x,y,z,w\n",
                Files.readString(file));
        assertEquals(List.of(header, tricky, plain), Csv.read(file));
    }

    @Test
    void anAppenderWritesAReadableFileRowByRow() throws IOException {
        Path file = dir.resolve("sub").resolve("b.csv");
        try (Csv.Appender appender = new Csv.Appender(file, List.of("step", "value"))) {
            appender.append(List.of("0", "1.5"));
            assertEquals(List.of(List.of("step", "value"), List.of("0", "1.5")), Csv.read(file), "flushed at once");
            appender.append(List.of("1", "2.5"));
        }
        assertEquals(3, Csv.read(file).size());
    }

    @Test
    void aRowWithTheWrongCellCountOrAnOpenQuoteIsAnErrorNamingTheFile() throws IOException {
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "a,b\n1,2,3\n");
        IOException error = assertThrows(IOException.class, () -> Csv.read(ragged));
        assertTrue(error.getMessage().contains("ragged.csv"), error.getMessage());
        Path open = Files.writeString(dir.resolve("open.csv"), "a,b\n1,\"2\n");
        assertThrows(IOException.class, () -> Csv.read(open));
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");
        assertThrows(IOException.class, () -> Csv.read(empty));
    }
}
