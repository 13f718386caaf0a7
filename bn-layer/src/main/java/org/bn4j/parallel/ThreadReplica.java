package org.bn4j.parallel;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/** A replica on a thread of the trainer's JVM: a network of the same configuration sharing the parameter array. */
final class ThreadReplica implements ShardReplica {

    private final ReplicaNetwork network;

    ThreadReplica(ReplicaNetwork trained) {
        this.network = trained.replicaSharingParameters();
    }

    @Override
    public double computeGradient(MultiDataSet shard, BatchStatisticsSync.Participant participant, int iteration,
                                  int epoch) {
        network.setCounts(iteration, epoch);
        if (participant != null) {
            BatchStatisticsSync.bind(participant);
        }
        try {
            network.computeGradient(shard);
            return network.score();
        } finally {
            BatchStatisticsSync.unbind();
        }
    }

    @Override
    public INDArray gradients() {
        return network.gradients();
    }

    @Override
    public void close() {
        // nothing of its own: the thread belongs to the trainer
    }
}
