package org.bn4j.testutil;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A PyTorch golden fixture from {@code src/test/resources/fixtures/pytorch/<name>.json} (format: see the README
 * there). Arrays come back as DOUBLE {@link INDArray}s with the stored shape, in C order.
 *
 * <pre>
 *   Fixture f = Fixture.load("nchw_algorithm2");
 *   INDArray x = f.array("train_0");   // [5, 2, 3, 3]
 *   double eps = f.number("eps");
 * </pre>
 */
public final class Fixture {

    private static final String DIRECTORY = "/fixtures/pytorch/";

    private final String name;
    private final JsonNode root;

    private Fixture(String name, JsonNode root) {
        this.name = name;
        this.root = root;
    }

    /** Loads {@code fixtures/pytorch/<name>.json} from the test class path. */
    public static Fixture load(String name) {
        String resource = DIRECTORY + name + ".json";
        try (InputStream in = Fixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture \"" + name + "\" (resource " + resource + ")");
            }
            return new Fixture(name, new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read fixture " + resource, e);
        }
    }

    /** The array stored under {@code key}, as DOUBLE with its stored shape. */
    public INDArray array(String key) {
        JsonNode node = node(key);
        JsonNode shapeNode = node.get("shape");
        JsonNode dataNode = node.get("data");
        if (shapeNode == null || dataNode == null) {
            throw new IllegalArgumentException("fixture " + name + ": \"" + key + "\" is not an array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        double[] data = new double[dataNode.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = dataNode.get(i).asDouble();
        }
        return Nd4j.create(data, shape, DataType.DOUBLE);
    }

    /** The number stored under {@code key} (for example {@code "eps"} or {@code "momentum"}). */
    public double number(String key) {
        JsonNode node = node(key);
        if (!node.isNumber()) {
            throw new IllegalArgumentException("fixture " + name + ": \"" + key + "\" is not a number: " + node);
        }
        return node.asDouble();
    }

    /** The string stored under {@code key} (for example {@code "layout"}). */
    public String string(String key) {
        return node(key).asText();
    }

    /** True when the fixture has an entry {@code key}. */
    public boolean has(String key) {
        return root.has(key);
    }

    /** The keys of all arrays, in file order. */
    public List<String> arrayKeys() {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (root.get(key).isObject() && root.get(key).has("data")) {
                keys.add(key);
            }
        }
        return keys;
    }

    private JsonNode node(String key) {
        JsonNode node = root.get(key);
        if (node == null) {
            throw new IllegalArgumentException("fixture " + name + " has no entry \"" + key + "\"");
        }
        return node;
    }
}
