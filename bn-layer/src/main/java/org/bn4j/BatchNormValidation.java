package org.bn4j;

import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * Checks of a {@link BatchNorm} configuration and of its input type, with messages that name the layer.
 * Runtime input checks (rank, feature count, batch size) live in {@link org.bn4j.layer.InputValidator}.
 */
final class BatchNormValidation {

    private BatchNormValidation() {
    }

    static void checkConfiguration(BatchNorm bn) {
        double eps = bn.getEps();
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(bn.describe() + ": eps must be a finite value > 0, got " + eps);
        }
        double decay = bn.getDecay();
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException(bn.describe() + ": decay must be in [0, 1), got " + decay
                    + " (decay is the weight of the old population statistics; PyTorch momentum = 1 - decay)");
        }
        if (bn.getAveraging() == null) {
            throw new IllegalArgumentException(bn.describe() + ": averaging must not be null");
        }
        if (bn.getDataFormat() == null) {
            throw new IllegalArgumentException(bn.describe() + ": dataFormat must not be null");
        }
        if (bn.getGhostBatchSize() < 0) {
            throw new IllegalArgumentException(bn.describe() + ": ghostBatchSize must be >= 0 (0 = the whole "
                    + "mini-batch), got " + bn.getGhostBatchSize());
        }
        if (bn.getRenormSchedule() == null) {
            throw new IllegalArgumentException(bn.describe() + ": renormSchedule must not be null");
        }
        try {
            bn.getRenormSchedule().check();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(bn.describe() + ": " + e.getMessage(), e);
        }
        if (bn.getNIn() > 0 && bn.getNOut() > 0 && bn.getNIn() != bn.getNOut()) {
            throw new IllegalArgumentException(bn.describe() + ": nIn (" + bn.getNIn() + ") and nOut ("
                    + bn.getNOut() + ") must be equal: batch normalization keeps the number of features");
        }
    }

    static void checkInputType(BatchNorm bn, InputType inputType) {
        if (inputType == null) {
            throw new IllegalStateException(bn.describe() + ": input type is null");
        }
        InputType.Type type = inputType.getType();
        if (type != InputType.Type.FF && type != InputType.Type.CNN) {
            throw new IllegalStateException(bn.describe() + ": supports dense (feed-forward) and 2D convolutional "
                    + "input, got " + inputType);
        }
    }
}
