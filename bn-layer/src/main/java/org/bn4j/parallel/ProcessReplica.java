package org.bn4j.parallel;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A replica in a JVM of its own ({@link ReplicaPlacement#PROCESSES}), seen from the trainer: starts
 * {@link ReplicaProcessMain} with this JVM's {@code java}, class path and options, sends it the network's
 * configuration once, and every step the parameters and the shard; while the replica computes, this side relays its
 * BN meeting points to the trainer's {@link BatchStatisticsSync} on the replica's thread of the trainer, then reads
 * its score and gradient. The protocol is {@link ReplicaWire}'s.
 */
final class ProcessReplica implements ShardReplica {

    /** How long a replica process may take to start and build its network: 300 s or {@code -Dbn4j.parallel.startSeconds}. */
    private static final long START_SECONDS = Long.getLong("bn4j.parallel.startSeconds", 300L);

    private final int replica;
    private final INDArray parameters;
    private final INDArray gradient;
    private final Path directory;
    private final Path log;
    private final Process process;
    private final ServerSocketChannel server;
    private final ReplicaWire wire;
    private boolean broken;

    private ProcessReplica(int replica, ReplicaNetwork network, int threads, boolean synchronize) throws IOException {
        this.replica = replica;
        this.parameters = network.parameters();
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            this.gradient = Nd4j.create(parameters.dataType(), parameters.length());
        }
        this.directory = Files.createTempDirectory("bn4j-replica-" + replica + "-");
        this.log = directory.resolve("replica.log");
        Path socket = directory.resolve("socket");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        this.process = new ProcessBuilder(command(replica, socket))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SocketChannel channel;
        try {
            channel = accept();
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            server.close();
            throw e;
        }
        this.wire = new ReplicaWire(channel);
        wire.out.writeByte(ReplicaWire.INIT);
        wire.out.writeInt(replica);
        wire.out.writeBoolean(network.isGraph());
        wire.writeString(network.configurationJson());
        wire.out.writeInt(threads);
        wire.out.writeBoolean(synchronize);
        wire.flush();
        byte type = readType();
        if (type == ReplicaWire.FAILED) {
            wire.in.readBoolean();
            throw new IllegalStateException(name() + " could not build the network: " + wire.readString());
        }
        expect(type, ReplicaWire.READY);
        long length = wire.in.readLong();
        if (length != parameters.length()) {
            throw new IllegalStateException(name() + " built a network of " + length + " parameters, the trainer's has "
                    + parameters.length());
        }
    }

    /**
     * Starts replica {@code replica}'s process and builds {@code network}'s configuration there, with {@code threads}
     * native threads per op and synchronized BN or not.
     */
    static ProcessReplica start(int replica, ReplicaNetwork network, int threads, boolean synchronize) {
        try {
            return new ProcessReplica(replica, network, threads, synchronize);
        } catch (IOException e) {
            throw new UncheckedIOException("ParallelTrainer: could not start replica " + replica + "'s process", e);
        }
    }

    private String name() {
        return "ParallelTrainer: replica " + replica + " (process " + process.pid() + ")";
    }

    /**
     * This JVM's java, its options (less debugger, agents and log files) and class path, on the worker's main; then
     * the options of {@code -Dbn4j.parallel.replicaJvmOptions} (separated by spaces; e.g. a smaller {@code -Xmx}).
     */
    private static List<String> command(int replica, Path socket) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib") && !option.startsWith("-javaagent") && !option.startsWith("-Xrunjdwp")
                    && !option.startsWith("-Xdebug") && !option.contains("file=")
                    && !option.startsWith("-XX:StartFlightRecording") && !option.equals("--add-modules=ALL-DEFAULT")) {
                command.add(option);
            }
        }
        String extra = System.getProperty("bn4j.parallel.replicaJvmOptions", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        System.getProperties().stringPropertyNames().stream()
                .filter(key -> key.startsWith("bn4j.") || key.startsWith("org.nd4j.") || key.startsWith("org.bytedeco."))
                .sorted()
                .forEach(key -> command.add("-D" + key + "=" + System.getProperty(key)));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ReplicaProcessMain.class.getName());
        command.add(socket.toString());
        command.add(Integer.toString(replica));
        return command;
    }

    private SocketChannel accept() throws IOException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
        while (true) {
            SocketChannel channel = server.accept();
            if (channel != null) {
                channel.configureBlocking(true);
                return channel;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name() + " ended before it connected (exit code "
                        + process.exitValue() + "); its output:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name() + " did not connect within " + START_SECONDS + " s; its output:\n"
                        + tail());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(name() + ": interrupted while starting", e);
            }
        }
    }

    @Override
    public double computeGradient(MultiDataSet shard, BatchStatisticsSync.Participant participant, int iteration,
                                  int epoch) {
        if (broken) {
            throw new IllegalStateException(name() + " is gone; build a new ParallelTrainer");
        }
        try {
            wire.out.writeByte(ReplicaWire.STEP);
            wire.out.writeInt(iteration);
            wire.out.writeInt(epoch);
            wire.writeFlat(parameters);
            wire.writeArrays(shard.getFeatures());
            wire.writeArrays(shard.getLabels());
            wire.writeArrays(shard.getFeaturesMaskArrays());
            wire.writeArrays(shard.getLabelsMaskArrays());
            wire.flush();
            return serve(participant);
        } catch (IOException e) {
            broken = true;
            throw gone(e);
        }
    }

    /**
     * Relays the replica's meeting points until it is done. After the trainer abandons the step (another replica
     * failed), the replica's next meeting point is answered ABORT and its end is still read, so that the next step
     * starts in step; then the abandonment propagates.
     */
    private double serve(BatchStatisticsSync.Participant participant) throws IOException {
        RuntimeException abandoned = null;
        while (true) {
            byte type = readType();
            switch (type) {
                case ReplicaWire.MOMENTS -> {
                    String layer = wire.readString();
                    long m = wire.in.readLong();
                    double[] mean = wire.readDoubles();
                    double[] variance = wire.readDoubles();
                    abandoned = reply(abandoned, () -> {
                        long total = meet(participant).combineMoments(layer, m, mean, variance);
                        wire.out.writeByte(ReplicaWire.RESULT);
                        wire.out.writeLong(total);
                        wire.writeDoubles(mean);
                        wire.writeDoubles(variance);
                    });
                }
                case ReplicaWire.SUMS -> {
                    String layer = wire.readString();
                    double[] dGamma = wire.readDoubles();
                    double[] dBeta = wire.readDoubles();
                    abandoned = reply(abandoned, () -> {
                        meet(participant).sumGradients(layer, dGamma, dBeta);
                        wire.out.writeByte(ReplicaWire.RESULT);
                        wire.writeDoubles(dGamma);
                        wire.writeDoubles(dBeta);
                    });
                }
                case ReplicaWire.DONE -> {
                    double score = wire.in.readDouble();
                    wire.readFlatInto(gradient);
                    if (abandoned != null) {
                        throw abandoned;
                    }
                    return score;
                }
                case ReplicaWire.FAILED -> {
                    boolean aborted = wire.in.readBoolean();
                    String description = wire.readString();
                    if (abandoned != null) {
                        throw abandoned;
                    }
                    throw new IllegalStateException(name() + (aborted ? " abandoned its step: " : " failed: ")
                            + description);
                }
                default -> throw new IOException("replica protocol: unexpected message " + type);
            }
        }
    }

    /** A meeting point's answer to the replica: meet the other replicas, then write the result. */
    private interface Answer {
        void meetAndWrite() throws IOException;
    }

    /**
     * Answers a meeting point of the replica: the combined values, or ABORT once the step is abandoned (then or
     * before). Returns the abandonment, if any.
     */
    private RuntimeException reply(RuntimeException abandoned, Answer answer) throws IOException {
        RuntimeException now = abandoned;
        if (now == null) {
            try {
                answer.meetAndWrite();             // the meeting throws before anything is written
            } catch (RuntimeException e) {
                now = e;
            }
        }
        if (now != null) {
            wire.out.writeByte(ReplicaWire.ABORT);
        }
        wire.flush();
        return now;
    }

    private BatchStatisticsSync.Participant meet(BatchStatisticsSync.Participant participant) {
        if (participant == null) {
            throw new IllegalStateException(name() + " asked to synchronize BN statistics in a step without");
        }
        return participant;
    }

    private byte readType() throws IOException {
        return wire.readType();
    }

    private void expect(byte type, byte expected) throws IOException {
        if (type != expected) {
            throw new IOException("replica protocol: expected message " + expected + ", got " + type);
        }
    }

    private IllegalStateException gone(IOException e) {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        String exit = process.isAlive() ? "is still running" : "ended with exit code " + process.exitValue();
        return new IllegalStateException(name() + " " + exit + " (" + e + "); its output:\n" + tail(), e);
    }

    /** The last lines of the replica's output. */
    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public INDArray gradients() {
        return gradient;
    }

    /** The replica process's id (tests). */
    long pid() {
        return process.pid();
    }

    /** Asks the process to end, ends it if it does not within 10 s, and deletes its socket and log. */
    @Override
    public void close() {
        try {
            wire.out.writeByte(ReplicaWire.SHUTDOWN);
            wire.flush();
        } catch (IOException e) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        wire.close();
        try {
            server.close();
            Files.deleteIfExists(directory.resolve("socket"));
            Files.deleteIfExists(log);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a leftover temporary file is not worth failing close for
        }
    }
}
