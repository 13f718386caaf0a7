package org.bn4j.inception.data;

import java.util.List;
import java.util.Map;

/**
 * Where a run's images came from, saved with the model.
 *
 * @param source          what the folder tree is (e.g. "Fashion-MNIST from /usr/share/datasets/fashion-mnist")
 * @param root            the folder read
 * @param layout          "train/val folders" or "one tree split <fraction>"
 * @param labels          class names in label-index order
 * @param trainImages     training images used
 * @param valImages       validation images used
 * @param trainPerClass   training images per class
 * @param channelCounts   images per channel count found on disk (before conversion)
 * @param skippedFiles    files skipped as unreadable
 * @param trainFingerprint {@link FileListFingerprint} of the training files (paths, sizes, modification times);
 *                        null in runs saved before it was recorded
 */
public record DataProvenance(String source, String root, String layout, List<String> labels, int trainImages,
                             int valImages, Map<String, Integer> trainPerClass, Map<Integer, Long> channelCounts,
                             List<String> skippedFiles, String trainFingerprint) {
}
