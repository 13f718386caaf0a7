package org.bn4j.inception.train;

import org.bn4j.inception.data.LabeledImage;
import org.bn4j.inception.recipe.ShuffleMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order of the training images in an epoch, a pure function of (images, mode, seed, epoch), so that a resumed
 * run sees exactly the mini-batches it would have seen.
 */
public final class EpochOrder {

    private EpochOrder() {
    }

    /** {@link ShuffleMode#ONCE}: the same permutation every epoch; EVERY_EPOCH: a new one per epoch. */
    public static List<LabeledImage> of(List<LabeledImage> images, ShuffleMode mode, long seed, int epoch) {
        List<LabeledImage> order = new ArrayList<>(images);
        long epochSeed = mode == ShuffleMode.EVERY_EPOCH ? seed * 1_000_003L + epoch : seed;
        Collections.shuffle(order, new Random(epochSeed));
        return order;
    }
}
