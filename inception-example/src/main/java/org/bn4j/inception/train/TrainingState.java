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
 * @param validations    every validation so far, intra-epoch ones included (absent in checkpoints written before
 *                       they existed: none)
 * @param stopped        a {@link StopRule} ended the run before its last epoch
 */
public record TrainingState(int epoch, int batchesDone, double lossSum, long imagesDone, double seconds,
                            List<EpochMetrics> history, List<Validation> validations, boolean stopped) {

    /** Copies the lists. */
    public TrainingState {
        history = List.copyOf(history);
        validations = validations == null ? List.of() : List.copyOf(validations);
    }

    /** The state of a run that has not started. */
    public static TrainingState fresh() {
        return new TrainingState(0, 0, 0, 0, 0, List.of(), List.of(), false);
    }

    /** With one more validation appended. */
    public TrainingState plusValidation(Validation validation) {
        List<Validation> all = new ArrayList<>(validations);
        all.add(validation);
        return new TrainingState(epoch, batchesDone, lossSum, imagesDone, seconds, history, all, stopped);
    }

    /** Marked as stopped by a {@link StopRule}. */
    public TrainingState stop() {
        return new TrainingState(epoch, batchesDone, lossSum, imagesDone, seconds, history, validations, true);
    }

    /** The latest validation at exactly {@code step}, if any. */
    public java.util.OptionalDouble validationAt(long step) {
        return validations.isEmpty() || validations.get(validations.size() - 1).step() != step
                ? java.util.OptionalDouble.empty()
                : java.util.OptionalDouble.of(validations.get(validations.size() - 1).accuracy());
    }

    /** Training seconds (validation excluded) of the finished epochs and of the epoch in progress. */
    public double totalSeconds() {
        return history.stream().mapToDouble(EpochMetrics::trainSeconds).sum() + seconds;
    }

    /** After one more mini-batch of {@code images} images with mean loss {@code loss}, taking {@code seconds}. */
    public TrainingState afterBatch(double loss, int images, double batchSeconds) {
        return new TrainingState(epoch, batchesDone + 1, lossSum + loss * images, imagesDone + images,
                seconds + batchSeconds, history, validations, stopped);
    }

    /** At the start of the next epoch, with {@code metrics} of the finished one appended. */
    public TrainingState afterEpoch(EpochMetrics metrics) {
        List<EpochMetrics> all = new ArrayList<>(history);
        all.add(metrics);
        return new TrainingState(epoch + 1, 0, 0, 0, 0, all, validations, stopped);
    }
}
