package org.bn4j.parallel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * The main class of a replica process ({@link ReplicaPlacement#PROCESSES}), started by {@link ProcessReplica}, not by
 * users: {@code ReplicaProcessMain SOCKET REPLICA}. Connects to the trainer, builds the network from its JSON
 * configuration, then for every step takes the trainer's parameters and a shard, computes the shard's gradient (its
 * BN layers meeting the other replicas through the trainer) and sends back the score and the gradient. Ends on
 * SHUTDOWN or when the trainer's JVM goes away (end of the socket).
 */
public final class ReplicaProcessMain {

    private ReplicaProcessMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ReplicaProcessMain SOCKET REPLICA (started by ParallelTrainer, not by hand)");
            System.exit(2);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(args[0]));
            ReplicaWire wire = new ReplicaWire(channel);
            serve(wire);
        } catch (EOFException e) {
            // the trainer's JVM is gone: nothing left to do
        }
        System.exit(0);
    }

    private static void serve(ReplicaWire wire) throws IOException {
        if (wire.readType() != ReplicaWire.INIT) {
            throw new IOException("replica protocol: expected INIT");
        }
        int replica = wire.in.readInt();
        boolean graph = wire.in.readBoolean();
        String json = wire.readString();
        int threads = wire.in.readInt();
        boolean synchronize = wire.in.readBoolean();
        ReplicaNetwork network;
        try {
            org.bn4j.ShapeInfoCache.install();
            NativeThreadLimit.apply(threads);
            NativeThreadLimit.limitCurrentThread(threads);
            network = ReplicaNetwork.fromConfiguration(graph, json);
        } catch (RuntimeException | Error e) {
            wire.out.writeByte(ReplicaWire.FAILED);
            wire.out.writeBoolean(false);
            wire.writeString(describe(e));
            wire.flush();
            return;
        }
        wire.out.writeByte(ReplicaWire.READY);
        wire.out.writeLong(network.parameters().length());
        wire.flush();
        Remote participant = new Remote(wire, replica);
        while (true) {
            byte type = wire.readType();
            if (type == ReplicaWire.SHUTDOWN) {
                return;
            }
            if (type != ReplicaWire.STEP) {
                throw new IOException("replica protocol: unexpected message " + type);
            }
            step(wire, network, synchronize ? participant : null);
        }
    }

    private static void step(ReplicaWire wire, ReplicaNetwork network, Remote participant) throws IOException {
        int iteration = wire.in.readInt();
        int epoch = wire.in.readInt();
        wire.readFlatInto(network.parameters());
        INDArray[] features = wire.readArrays();
        INDArray[] labels = wire.readArrays();
        INDArray[] featureMasks = wire.readArrays();
        INDArray[] labelMasks = wire.readArrays();
        MultiDataSet shard = new org.nd4j.linalg.dataset.MultiDataSet(features, labels, featureMasks, labelMasks);
        network.setCounts(iteration, epoch);
        if (participant != null) {
            BatchStatisticsSync.bind(participant);
        }
        double score;
        try {
            network.computeGradient(shard);
            score = network.score();
        } catch (RuntimeException | Error e) {
            if (e instanceof UncheckedIOException io && io.getCause() != null) {
                throw io.getCause();                // the trainer went away mid-step
            }
            wire.out.writeByte(ReplicaWire.FAILED);
            wire.out.writeBoolean(e instanceof Rendezvous.StepAbortedException);
            wire.writeString(describe(e));
            wire.flush();
            return;
        } finally {
            BatchStatisticsSync.unbind();
        }
        wire.out.writeByte(ReplicaWire.DONE);
        wire.out.writeDouble(score);
        wire.writeFlat(network.gradients());
        wire.flush();
    }

    private static String describe(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    /** A BN layer's side of the synchronization in a replica process: asks the trainer, which meets the others. */
    private static final class Remote implements BatchStatisticsSync.Participant {
        private final ReplicaWire wire;
        private final int replica;

        Remote(ReplicaWire wire, int replica) {
            this.wire = wire;
            this.replica = replica;
        }

        @Override
        public int replica() {
            return replica;
        }

        @Override
        public long combineMoments(String layer, long m, double[] mean, double[] variance) {
            try {
                wire.out.writeByte(ReplicaWire.MOMENTS);
                wire.writeString(layer);
                wire.out.writeLong(m);
                wire.writeDoubles(mean);
                wire.writeDoubles(variance);
                wire.flush();
                answer();
                long total = wire.in.readLong();
                wire.readDoublesInto(mean);
                wire.readDoublesInto(variance);
                return total;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void sumGradients(String layer, double[] dGamma, double[] dBeta) {
            try {
                wire.out.writeByte(ReplicaWire.SUMS);
                wire.writeString(layer);
                wire.writeDoubles(dGamma);
                wire.writeDoubles(dBeta);
                wire.flush();
                answer();
                wire.readDoublesInto(dGamma);
                wire.readDoublesInto(dBeta);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void answer() throws IOException {
            byte type = wire.readType();
            if (type == ReplicaWire.ABORT) {
                throw new Rendezvous.StepAbortedException(new IllegalStateException("the trainer abandoned the step"));
            }
            if (type != ReplicaWire.RESULT) {
                throw new IOException("replica protocol: unexpected message " + type);
            }
        }
    }
}
