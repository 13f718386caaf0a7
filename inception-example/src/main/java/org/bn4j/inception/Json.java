package org.bn4j.inception;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Path;

/** The one Jackson mapper of the application (recipes, run manifests, checkpoint state): pretty, strict on input. */
public final class Json {

    /** Shared, thread-safe mapper: unknown properties are an error, output is indented. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /** Writes {@code value} as JSON to {@code file} atomically (temp file + rename). */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.write(file, out -> MAPPER.writeValue(out, value));
    }

    /** Reads {@code file} as a {@code type}. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        return MAPPER.readValue(file.toFile(), type);
    }
}
