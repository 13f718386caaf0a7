package org.bn4j.inception.cli;

import org.bn4j.inception.UserError;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.train.SavedModel;
import org.nd4j.evaluation.classification.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code evaluate}: accuracy and confusion matrix of a trained model on the validation images of image folders. */
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
                model.manifest().inputPreprocessing());
        Evaluation evaluation = new Evaluation(data.labels(), 1);
        model.network().doEvaluation(batches.iterator(data.val(), batchSize, null), evaluation);
        out.println(evaluation.stats());
        out.printf(Locale.ROOT, "validation accuracy: %.2f%% (%d images)%n", 100 * evaluation.accuracy(),
                data.val().size());
        return 0;
    }
}
