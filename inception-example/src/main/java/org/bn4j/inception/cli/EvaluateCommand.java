package org.bn4j.inception.cli;

import org.bn4j.inception.UserError;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.train.SavedModel;
import org.bn4j.inception.experiment.ClassificationCounts;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code evaluate}: top-1 and top-5 accuracy, per-class accuracy and confusion matrix (CSV) of a trained model on the
 * validation images of image folders, decoded and cropped as the model was trained.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on the validation images (accuracy, per-class statistics).")
public class EvaluateCommand implements Callable<Integer> {

    @Mixin
    DataOptionsMixin dataOptions;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "model.zip written by train.")
    Path modelFile;

    @Option(names = "--batch-size", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of a split or limit (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DecodeThreadsOption decodeThreads;

    @Option(names = "--report-dir", paramLabel = "DIR",
            description = "Where " + PER_CLASS_FILE + " and " + CONFUSION_FILE + " go (default: the model's folder).")
    Path reportDir;

    /** Top-k accuracy reported besides top-1 (ImageNet's convention; capped at the number of classes). */
    static final int TOP_K = 5;
    /** Per-class accuracy file written by evaluate. */
    static final String PER_CLASS_FILE = "evaluate-per-class.csv";
    /** Confusion matrix file written by evaluate. */
    static final String CONFUSION_FILE = "evaluate-confusion.csv";

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        SavedModel model = SavedModel.load(modelFile);
        ImageFolderData data = dataOptions.load(seed, out);
        if (!data.labels().equals(model.manifest().data().labels())) {
            throw new UserError("the model was trained on classes " + model.manifest().data().labels()
                    + " but the data has " + data.labels());
        }
        ImageBatches batches = new ImageBatches(model.manifest().network().imageShape(), data.labels(),
                model.manifest().inputPreprocessing()).checking(data.badFiles())
                .decodeThreads(decodeThreads.threads());
        Evaluation evaluation = new Evaluation(data.labels(), 1);
        ClassificationCounts counts = new ClassificationCounts(data.labels(), Math.min(TOP_K, data.labels().size()));
        DataSetIterator iterator = batches.iterator(data.val(), batchSize, null);
        while (iterator.hasNext()) {
            DataSet batch = iterator.next();
            INDArray probabilities = model.network().outputSingle(batch.getFeatures());
            evaluation.eval(batch.getLabels(), probabilities);
            counts.add(batch.getLabels(), probabilities);
        }
        out.println(evaluation.stats());
        for (int c = 0; c < data.labels().size(); c++) {
            out.printf(Locale.ROOT, "  %-20s %6.2f%%%n", data.labels().get(c), 100 * counts.classAccuracy(c));
        }
        Path folder = reportDir != null ? reportDir : modelFile.toAbsolutePath().getParent();
        Files.createDirectories(folder);
        counts.writePerClass(folder.resolve(PER_CLASS_FILE));
        counts.writeConfusion(folder.resolve(CONFUSION_FILE));
        out.println("per-class accuracy and confusion matrix: " + folder.resolve(PER_CLASS_FILE) + ", "
                + folder.resolve(CONFUSION_FILE));
        if (data.badFiles() != null && data.badFiles().count() > 0) {
            System.err.println("skipped " + data.badFiles().count() + " unreadable or non-image files: "
                    + data.badFiles().found().stream().map(r -> r.file().toString()).toList());
        }
        out.printf(Locale.ROOT, "validation accuracy: %.2f%% top-1, %.2f%% top-%d (%d images)%n",
                100 * counts.top1(), 100 * counts.topK(), counts.k(), counts.total());
        return 0;
    }
}
