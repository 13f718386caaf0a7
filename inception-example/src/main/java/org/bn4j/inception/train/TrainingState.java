package org.bn4j.inception.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands, saved inside every checkpoint so that a killed run resumes at the same mini-batch.
 *
 * @param epoch          0-based epoch in progress (equals the epoch count when training is finished)
 * @param batchesDone    mini-batches of {@code epoch} already trained
 * @param lossSum        sum of batch loss × batch size over those mini-batches
 * @param imagesDone     images of {@code epoch} already trained
 * @param seconds        training seconds spent in {@code epoch} so far
 * @param history        metrics of the finished epochs
 */
public record TrainingState(int epoch, int batchesDone, double lossSum, long imagesDone, double seconds,
                            List<EpochMetrics> history) {

    /** The state of a run that has not started. */
    public static TrainingState fresh() {
        return new TrainingState(0, 0, 0, 0, 0, List.of());
    }

    /** After one more mini-batch of {@code images} images with mean loss {@code loss}, taking {@code seconds}. */
    public TrainingState afterBatch(double loss, int images, double batchSeconds) {
        return new TrainingState(epoch, batchesDone + 1, lossSum + loss * images, imagesDone + images,
                seconds + batchSeconds, history);
    }

    /** At the start of the next epoch, with {@code metrics} of the finished one appended. */
    public TrainingState afterEpoch(EpochMetrics metrics) {
        List<EpochMetrics> all = new ArrayList<>(history);
        all.add(metrics);
        return new TrainingState(epoch + 1, 0, 0, 0, 0, List.copyOf(all));
    }
}
