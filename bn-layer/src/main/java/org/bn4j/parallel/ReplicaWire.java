package org.bn4j.parallel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The byte protocol between a {@link ParallelTrainer} and a replica process ({@link ReplicaPlacement#PROCESSES}):
 * one Unix-domain socket per replica, messages of one type byte and their fields, written with
 * {@link DataOutputStream} (big-endian) except the flat parameter and gradient arrays, which go as their raw bytes.
 *
 * <pre>
 *   trainer → replica   INIT(replica, kind, configuration JSON, native threads, synchronized)   replica → READY(parameters)
 *   trainer → replica   STEP(iteration, epoch, parameters, shard)
 *   replica → trainer   MOMENTS(layer, m, mean, variance)     trainer → replica  RESULT(m, mean, variance) | ABORT
 *   replica → trainer   SUMS(layer, Σdy·x̂, Σdy)               trainer → replica  RESULT(sums) | ABORT
 *   replica → trainer   DONE(score, gradient) | FAILED(aborted?, description)
 *   trainer → replica   SHUTDOWN
 * </pre>
 */
final class ReplicaWire implements AutoCloseable {

    static final byte INIT = 1;
    static final byte READY = 2;
    static final byte STEP = 3;
    static final byte MOMENTS = 4;
    static final byte SUMS = 5;
    static final byte RESULT = 6;
    static final byte ABORT = 7;
    static final byte DONE = 8;
    static final byte FAILED = 9;
    static final byte SHUTDOWN = 10;

    private static final int BUFFER = 1 << 16;

    private final SocketChannel channel;
    final DataInputStream in;
    final DataOutputStream out;
    private final byte[] chunk = new byte[BUFFER];

    ReplicaWire(SocketChannel channel) {
        this.channel = channel;
        this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), BUFFER));
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER));
    }

    /** Reads a message type; {@link EOFException} when the other side has gone. */
    byte readType() throws IOException {
        return in.readByte();
    }

    void writeString(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    String readString() throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    void writeDoubles(double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    double[] readDoubles() throws IOException {
        double[] values = new double[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
    }

    /** Reads an array of exactly {@code into.length} values into {@code into}. */
    void readDoublesInto(double[] into) throws IOException {
        int n = in.readInt();
        if (n != into.length) {
            throw new IOException("replica protocol: expected " + into.length + " values, got " + n);
        }
        for (int i = 0; i < n; i++) {
            into[i] = in.readDouble();
        }
    }

    /** An array of any shape and type, or null. */
    void writeArray(INDArray array) throws IOException {
        out.writeBoolean(array != null);
        if (array != null) {
            Nd4j.write(array, out);
        }
    }

    INDArray readArray() throws IOException {
        return in.readBoolean() ? Nd4j.read(in) : null;
    }

    void writeArrays(INDArray[] arrays) throws IOException {
        out.writeInt(arrays == null ? -1 : arrays.length);
        if (arrays != null) {
            for (INDArray a : arrays) {
                writeArray(a);
            }
        }
    }

    INDArray[] readArrays() throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        INDArray[] arrays = new INDArray[n];
        for (int i = 0; i < n; i++) {
            arrays[i] = readArray();
        }
        return arrays;
    }

    /** The raw bytes of a flat parameter or gradient array (its whole buffer, which starts at the array). */
    void writeFlat(INDArray flat) throws IOException {
        ByteBuffer bytes = bytesOf(flat);
        out.writeLong(bytes.remaining());
        while (bytes.hasRemaining()) {
            int n = Math.min(chunk.length, bytes.remaining());
            bytes.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** Overwrites {@code flat} with an array written by {@link #writeFlat} (same type and length). */
    void readFlatInto(INDArray flat) throws IOException {
        ByteBuffer bytes = bytesOf(flat);
        long n = in.readLong();
        if (n != bytes.remaining()) {
            throw new IOException("replica protocol: expected " + bytes.remaining() + " bytes of " + flat.dataType()
                    + ", got " + n + " (the replica's network differs from the trainer's)");
        }
        while (bytes.hasRemaining()) {
            int m = Math.min(chunk.length, bytes.remaining());
            in.readFully(chunk, 0, m);
            bytes.put(chunk, 0, m);
        }
    }

    private static ByteBuffer bytesOf(INDArray flat) {
        if (flat.offset() != 0 || flat.data().length() < flat.length()) {
            throw new IllegalArgumentException("replica protocol: a flat array must start its buffer");
        }
        ByteBuffer all = flat.data().asNio().duplicate().order(ByteOrder.nativeOrder());
        all.position(0).limit(Math.toIntExact(flat.length() * flat.data().getElementSize()));
        return all;
    }

    void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
