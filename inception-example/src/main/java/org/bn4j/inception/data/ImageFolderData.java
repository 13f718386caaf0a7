package org.bn4j.inception.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Training and validation images of an ImageNet-style folder tree, checked and labelled.
 *
 * <p>Layouts: {@code ROOT/train/<class>/*} with {@code ROOT/val/<class>/*} (both must have the same classes), or
 * one tree {@code ROOT/<class>/*} of which a seeded, per-class {@code valFraction} becomes validation. Files that do
 * not decode are skipped with one warning listing them, or rejected under {@code strict}. Labels are the class folder
 * names in sorted order. With {@link DataOptions#checkOnFirstRead} the files are only listed here (and a sample
 * decoded for the channel counts) and checked when first read ({@link #badFiles()}).
 */
public final class ImageFolderData {

    private static final Logger log = LoggerFactory.getLogger(ImageFolderData.class);
    private static final int MAX_LISTED_SKIPS = 20;

    private final List<String> labels;
    private final List<LabeledImage> train;
    private final List<LabeledImage> val;
    private final DataProvenance provenance;
    private final BadImageFiles badFiles;

    private ImageFolderData(List<String> labels, List<LabeledImage> train, List<LabeledImage> val,
                            DataProvenance provenance, BadImageFiles badFiles) {
        this.labels = labels;
        this.train = train;
        this.val = val;
        this.provenance = provenance;
        this.badFiles = badFiles;
    }

    /** Scans and checks the folders; {@code source} describes them for the provenance record. */
    public static ImageFolderData load(DataOptions options, String source) {
        Path root = options.root();
        if (!Files.isDirectory(root)) {
            throw new InvalidDataException(Files.exists(root) ? "data path " + root + " is not a folder"
                    : "data folder " + root + " does not exist");
        }
        Path trainDir = root.resolve("train");
        Path valDir = root.resolve("val");
        Map<String, List<LabeledImage>> trainByClass;
        Map<String, List<LabeledImage>> valByClass;
        List<ImageFileCheck.Result> skipped = new ArrayList<>();
        Map<Integer, Long> channelCounts = new TreeMap<>();
        String layout;
        if (Files.isDirectory(trainDir) || Files.isDirectory(valDir)) {
            if (!Files.isDirectory(trainDir) || !Files.isDirectory(valDir)) {
                throw new InvalidDataException(root + " has " + (Files.isDirectory(trainDir) ? "train/ but no val/"
                        : "val/ but no train/") + "; give both, or one ROOT/<class> tree to split");
            }
            ImageFolderScanner.Tree trainTree = ImageFolderScanner.scan(trainDir, !options.checkOnFirstRead());
            ImageFolderScanner.Tree valTree = ImageFolderScanner.scan(valDir, !options.checkOnFirstRead());
            requireSameClasses(trainTree, valTree);
            trainByClass = trainTree.images();
            valByClass = valTree.images();
            for (ImageFolderScanner.Tree tree : List.of(trainTree, valTree)) {
                skipped.addAll(tree.skipped());
                tree.channelCounts().forEach((c, n) -> channelCounts.merge(c, n, Long::sum));
            }
            layout = "train/val folders";
        } else {
            ImageFolderScanner.Tree tree = ImageFolderScanner.scan(root, !options.checkOnFirstRead());
            trainByClass = new TreeMap<>();
            valByClass = new TreeMap<>();
            split(tree.images(), options.valFraction(), options.seed(), trainByClass, valByClass);
            skipped.addAll(tree.skipped());
            channelCounts.putAll(tree.channelCounts());
            layout = "one tree split " + options.valFraction();
        }
        reportSkipped(skipped, options.strict());
        List<String> labels = List.copyOf(trainByClass.keySet());
        List<LabeledImage> train = limit(trainByClass, options.trainLimit(), options.seed());
        List<LabeledImage> val = limit(valByClass, options.valLimit(), options.seed() + 1);
        Map<String, Integer> perClass = new LinkedHashMap<>();
        labels.forEach(l -> perClass.put(l, 0));
        train.forEach(image -> perClass.merge(image.label(), 1, Integer::sum));
        DataProvenance provenance = new DataProvenance(source, root.toAbsolutePath().toString(), layout, labels,
                train.size(), val.size(), perClass, channelCounts,
                skipped.stream().map(r -> r.file().toString()).collect(Collectors.toList()),
                FileListFingerprint.of(train));
        return new ImageFolderData(labels, train, val, provenance,
                options.checkOnFirstRead() ? new BadImageFiles(options.strict()) : null);
    }

    /** Class names in label-index order. */
    public List<String> labels() {
        return labels;
    }

    /** Training images, in a fixed (sorted, sampled) order; the trainer shuffles them. */
    public List<LabeledImage> train() {
        return train;
    }

    /** Validation images. */
    public List<LabeledImage> val() {
        return val;
    }

    /** Network input channels for these images: 1 when every image is grey, else 3. */
    public int inputChannels() {
        return provenance.channelCounts().keySet().stream().allMatch(c -> c == 1) ? 1 : 3;
    }

    /**
     * The checker of files not yet decoded ({@link DataOptions#checkOnFirstRead}), shared by every iterator over these
     * images; null when the scan checked every file.
     */
    public BadImageFiles badFiles() {
        return badFiles;
    }

    /** What was read, for the run manifest. */
    public DataProvenance provenance() {
        return provenance;
    }

    private static void requireSameClasses(ImageFolderScanner.Tree train, ImageFolderScanner.Tree val) {
        TreeSet<String> onlyTrain = new TreeSet<>(train.images().keySet());
        onlyTrain.removeAll(val.images().keySet());
        TreeSet<String> onlyVal = new TreeSet<>(val.images().keySet());
        onlyVal.removeAll(train.images().keySet());
        if (!onlyTrain.isEmpty() || !onlyVal.isEmpty()) {
            throw new InvalidDataException("train and val have different classes: only in train " + onlyTrain
                    + ", only in val " + onlyVal);
        }
    }

    private static void split(Map<String, List<LabeledImage>> all, double valFraction, long seed,
                              Map<String, List<LabeledImage>> train, Map<String, List<LabeledImage>> val) {
        for (Map.Entry<String, List<LabeledImage>> entry : all.entrySet()) {
            List<LabeledImage> images = new ArrayList<>(entry.getValue());
            if (images.size() < 2) {
                throw new InvalidDataException("class " + entry.getKey() + " has " + images.size()
                        + " image; splitting needs at least 2 per class");
            }
            Collections.shuffle(images, new Random(seed ^ entry.getKey().hashCode()));
            int valCount = (int) Math.max(1, Math.min(images.size() - 1, Math.round(images.size() * valFraction)));
            val.put(entry.getKey(), List.copyOf(images.subList(0, valCount)));
            train.put(entry.getKey(), List.copyOf(images.subList(valCount, images.size())));
        }
    }

    /** At most {@code limit} images (0: all), each class contributing in proportion to its size, at least one. */
    private static List<LabeledImage> limit(Map<String, List<LabeledImage>> byClass, int limit, long seed) {
        int total = byClass.values().stream().mapToInt(List::size).sum();
        List<LabeledImage> chosen = new ArrayList<>();
        for (Map.Entry<String, List<LabeledImage>> entry : byClass.entrySet()) {
            List<LabeledImage> images = entry.getValue();
            if (limit <= 0 || limit >= total) {
                chosen.addAll(images);
                continue;
            }
            List<LabeledImage> shuffled = new ArrayList<>(images);
            Collections.shuffle(shuffled, new Random(seed ^ entry.getKey().hashCode()));
            int take = (int) Math.max(1, Math.round((double) limit * images.size() / total));
            chosen.addAll(shuffled.subList(0, Math.min(take, shuffled.size())));
        }
        return List.copyOf(chosen);
    }

    private static void reportSkipped(List<ImageFileCheck.Result> skipped, boolean strict) {
        if (skipped.isEmpty()) {
            return;
        }
        String listing = skipped.stream().limit(MAX_LISTED_SKIPS)
                .map(r -> r.file() + " (" + r.problem() + ")").collect(Collectors.joining(", "))
                + (skipped.size() > MAX_LISTED_SKIPS ? ", and " + (skipped.size() - MAX_LISTED_SKIPS) + " more" : "");
        if (strict) {
            throw new InvalidDataException(skipped.size() + " unreadable or non-image files (--strict): " + listing);
        }
        log.warn("skipping {} unreadable or non-image files: {}", skipped.size(), listing);
    }
}
