package org.bn4j.inception.recipe;

/**
 * How the training examples are ordered (Ioffe &amp; Szegedy 2015, §4.2.1 "Shuffle training examples more
 * thoroughly").
 */
public enum ShuffleMode {
    /** Shuffled once with the seed: every epoch sees the same mini-batches (the baseline). */
    ONCE,
    /** Reshuffled at the start of every epoch, so examples do not always share a mini-batch (BN-x5, BN-x30). */
    EVERY_EPOCH
}
