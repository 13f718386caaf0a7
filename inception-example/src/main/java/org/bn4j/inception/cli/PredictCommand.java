package org.bn4j.inception.cli;

import org.bn4j.inception.UserError;
import org.bn4j.inception.data.BitDepthImageLoader;
import org.bn4j.inception.data.ImageFileCheck;
import org.bn4j.inception.data.ImageShape;
import org.bn4j.inception.data.InvalidDataException;
import org.bn4j.inception.train.SavedModel;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.transform.ImageTransform;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** {@code predict}: the top-k classes of an image, or of every image in a folder tree. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Print the top-k classes and probabilities for an image or every image below a folder.")
public class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "model.zip written by train.")
    Path modelFile;

    @Option(names = "--top-k", defaultValue = "5", description = "Classes to print (default: ${DEFAULT-VALUE}).")
    int topK;

    @Parameters(paramLabel = "PATH", description = "An image file or a folder of images.")
    Path path;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (topK < 1) {
            throw new UserError("--top-k must be at least 1, got " + topK);
        }
        SavedModel model = SavedModel.load(modelFile);
        ImageShape shape = model.manifest().network().imageShape();
        List<String> labels = model.manifest().data().labels();
        ImageTransform crop = model.manifest().inputPreprocessing().evaluationTransform();
        NativeImageLoader loader = crop == null
                ? new BitDepthImageLoader(shape.height(), shape.width(), shape.channels())
                : new BitDepthImageLoader(shape.height(), shape.width(), shape.channels(), crop);
        ImagePreProcessingScaler scaler = new ImagePreProcessingScaler(0, 1);
        List<Path> skipped = new ArrayList<>();
        int predicted = 0;
        for (Path file : imagesAt(path)) {
            if (!ImageFileCheck.check(file).readable()) {
                skipped.add(file);
                continue;
            }
            INDArray image = loader.asMatrix(file.toFile());
            scaler.transform(image);
            model.manifest().inputPreprocessing().normalize(image);
            INDArray probabilities = model.network().outputSingle(image);
            out.println(file + ": " + topClasses(probabilities, labels));
            predicted++;
        }
        if (!skipped.isEmpty()) {
            System.err.println("skipped " + skipped.size() + " unreadable or non-image files: " + skipped);
        }
        if (predicted == 0) {
            throw new UserError("no readable image in " + path + (skipped.isEmpty() ? " (no files)" : "")
                    + ": nothing to predict");
        }
        return 0;
    }

    private String topClasses(INDArray probabilities, List<String> labels) {
        return IntStream.range(0, labels.size()).boxed()
                .sorted(Comparator.comparingDouble(i -> -probabilities.getDouble(0, i)))
                .limit(topK)
                .map(i -> String.format(Locale.ROOT, "%s %.3f", labels.get(i), probabilities.getDouble(0, i)))
                .collect(Collectors.joining(", "));
    }

    private static List<Path> imagesAt(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new InvalidDataException("path " + path + " does not exist");
        }
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
    }
}
