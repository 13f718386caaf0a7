package org.bn4j.inception.data;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads one ImageNet-style tree, {@code ROOT/<class>/<image>}: every sub-folder is a class, every regular file
 * directly in it a candidate image (the label is the file's parent folder, as DataVec's ParentPathLabelGenerator
 * reads it; deeper folders are ignored). Each candidate is decoded once ({@link ImageFileCheck}); files that do not
 * decode are collected as skipped. Hidden files and folders (name starting with '.') are ignored.
 */
public final class ImageFolderScanner {

    private static final Logger log = LoggerFactory.getLogger(ImageFolderScanner.class);

    /** Channel counts NativeImageLoader can convert to 1 or 3 channels. */
    private static final List<Integer> CONVERTIBLE_CHANNELS = List.of(1, 3, 4);

    /**
     * A scanned tree.
     *
     * @param root    the folder scanned
     * @param images  readable images per class, classes sorted by name, files sorted by path
     * @param skipped files that did not decode, with the reason
     * @param channelCounts number of images per decoded channel count
     */
    public record Tree(Path root, Map<String, List<LabeledImage>> images, List<ImageFileCheck.Result> skipped,
                       Map<Integer, Long> channelCounts) {
    }

    private ImageFolderScanner() {
    }

    /** Files decoded by a scan that does not check every file, to learn the channel counts. */
    static final int CHANNEL_SAMPLE = 32;

    /** Scans {@code root}; InvalidDataException for a missing path, no class folder or an empty class folder. */
    public static Tree scan(Path root) {
        return scan(root, true);
    }

    /**
     * As {@link #scan(Path)}; without {@code checkEveryFile} only the file names are listed and a sample is decoded
     * (the first file of every class, then more in turn up to {@value #CHANNEL_SAMPLE}) for the channel counts: the
     * other files are checked when first read ({@link BadImageFiles}). A class folder must then hold at least one file.
     */
    public static Tree scan(Path root, boolean checkEveryFile) {
        if (!Files.exists(root)) {
            throw new InvalidDataException("data folder " + root + " does not exist");
        }
        if (!Files.isDirectory(root)) {
            throw new InvalidDataException("data path " + root + " is not a folder; expected ROOT/<class>/<images>");
        }
        List<Path> classDirs = listVisible(root).stream().filter(Files::isDirectory).collect(Collectors.toList());
        if (classDirs.isEmpty()) {
            throw new InvalidDataException("no class folders in " + root + "; expected ROOT/<class>/<images>");
        }
        Map<String, List<LabeledImage>> images = new TreeMap<>();
        List<ImageFileCheck.Result> skipped = new ArrayList<>();
        Map<Integer, Long> channelCounts = new TreeMap<>();
        for (Path classDir : classDirs) {
            String label = classDir.getFileName().toString();
            if (!checkEveryFile) {
                List<Path> files = filesBelow(classDir);
                if (files.isEmpty()) {
                    throw new InvalidDataException("class folder " + classDir + " contains no file; remove the "
                            + "folder or add images");
                }
                images.put(label, files.stream().map(f -> new LabeledImage(f, label))
                        .collect(Collectors.toCollection(ArrayList::new)));
                continue;
            }
            List<ImageFileCheck.Result> checked = filesBelow(classDir).parallelStream()
                    .map(ImageFileCheck::check).collect(Collectors.toList());
            List<LabeledImage> readable = new ArrayList<>();
            for (ImageFileCheck.Result result : checked) {
                if (!result.readable()) {
                    skipped.add(result);
                    continue;
                }
                if (!CONVERTIBLE_CHANNELS.contains(result.channels())) {
                    throw new InvalidDataException("image " + result.file() + " has " + result.channels()
                            + " channels; only 1 (grey), 3 (colour) and 4 (colour + alpha) can be converted");
                }
                channelCounts.merge(result.channels(), 1L, Long::sum);
                readable.add(new LabeledImage(result.file(), label));
            }
            if (readable.isEmpty()) {
                throw new InvalidDataException("class folder " + classDir + " contains no readable image"
                        + (checked.isEmpty() ? "" : " (" + checked.size() + " unreadable files)")
                        + "; remove the folder or add images");
            }
            images.put(label, readable);
        }
        if (!checkEveryFile) {
            sampleChannels(images, skipped, channelCounts);
        }
        log.debug("scanned {}: {} classes, {} skipped files", root, images.size(), skipped.size());
        return new Tree(root, images, skipped, channelCounts);
    }

    /** Decodes the sample of a listing-only scan: channel counts; bad sample files are skipped as in a full scan. */
    private static void sampleChannels(Map<String, List<LabeledImage>> images, List<ImageFileCheck.Result> skipped,
                                       Map<Integer, Long> channelCounts) {
        List<LabeledImage> sample = new ArrayList<>();
        for (int round = 0; sample.size() < CHANNEL_SAMPLE; round++) {
            int before = sample.size();
            for (List<LabeledImage> files : images.values()) {
                if (round < files.size() && (round == 0 || sample.size() < CHANNEL_SAMPLE)) {
                    sample.add(files.get(round));
                }
            }
            if (sample.size() == before) {
                break;
            }
        }
        for (ImageFileCheck.Result result : sample.parallelStream().map(i -> ImageFileCheck.check(i.file()))
                .collect(Collectors.toList())) {
            if (!result.readable() || !CONVERTIBLE_CHANNELS.contains(result.channels())) {
                skipped.add(result.readable() ? new ImageFileCheck.Result(result.file(), 0, result.channels()
                        + " channels (only 1, 3 and 4 can be converted)") : result);
                images.values().forEach(files -> files.removeIf(i -> i.file().equals(result.file())));
                continue;
            }
            channelCounts.merge(result.channels(), 1L, Long::sum);
        }
        images.entrySet().removeIf(e -> {
            if (e.getValue().isEmpty()) {
                throw new InvalidDataException("class " + e.getKey() + " contains no readable image");
            }
            return false;
        });
        images.replaceAll((label, files) -> List.copyOf(files));
    }

    private static List<Path> listVisible(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparing(Path::toString)).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static List<Path> filesBelow(Path dir) {
        return listVisible(dir).stream().filter(Files::isRegularFile).collect(Collectors.toList());
    }
}
