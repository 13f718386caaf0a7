package org.bn4j.inception.cli;

import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.experiment.NativeThreads;
import org.bn4j.inception.experiment.SmallBatchExperiment;
import org.bn4j.inception.experiment.SmallBatchReport;
import org.bn4j.inception.experiment.SmallBatchSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code experiment small-batch}: plain BN vs Batch Renormalization vs ghost batches (see {@link SmallBatchExperiment}). */
@Command(name = "small-batch", mixinStandardHelpOptions = true,
        description = "Train the example's network at batch sizes 4, 8, 32 (same images seen) with plain BN, Batch "
                + "Renormalization, and ghost batches: validation accuracy with inference statistics.")
public final class SmallBatchCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--batch-sizes", split = ",", paramLabel = "B,...",
            description = "Mini-batch sizes; the largest is the mini-batch of the ghost-batch runs (default 4,8,32).")
    List<Integer> batchSizes;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per run (default 2).")
    Integer epochs;

    @Option(names = "--train-limit", paramLabel = "N", description = "Training images (default 1600).")
    Integer trainLimit;

    @Option(names = "--val-limit", paramLabel = "N", description = "Validation images (default 400).")
    Integer valLimit;

    @Option(names = "--width", paramLabel = "X", description = "Width multiplier (default 0.125).")
    Double width;

    @Mixin
    DataSourceMixin dataSource;

    @Mixin
    ConvolutionOption convolution;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "ND4J threads; 0 keeps ND4J's default (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        NativeThreads.limit(threads);
        SmallBatchSettings base = SmallBatchSettings.defaults();
        SmallBatchSettings settings = new SmallBatchSettings(batchSizes != null ? batchSizes : base.batchSizes(),
                epochs != null ? epochs : base.epochs(), base.imageSize(),
                width != null ? width : base.widthMultiplier(), trainLimit != null ? trainLimit : base.trainLimit(),
                valLimit != null ? valLimit : base.valLimit(), base.seed(), convolution.convolution());
        DataSourceMixin.Resolved resolved = dataSource.resolve();
        ImageFolderData images = ImageFolderData.load(new DataOptions(resolved.root(), 0.1, false,
                settings.trainLimit(), settings.valLimit(), settings.seed()), resolved.source());
        SmallBatchExperiment.Result result = SmallBatchExperiment.run(settings, images, out, commandLine());
        System.out.printf(Locale.ROOT, "small-batch: %.1f min; report %s%n", result.totalSeconds() / 60,
                out.resolve(SmallBatchReport.FILE));
        return 0;
    }

    private String commandLine() {
        StringBuilder line = new StringBuilder("java -jar inception-example/target/inception-example.jar "
                + "experiment small-batch --out ").append(out);
        if (batchSizes != null) {
            line.append(" --batch-sizes ").append(String.join(",", batchSizes.stream().map(String::valueOf).toList()));
        }
        if (epochs != null) {
            line.append(" --epochs ").append(epochs);
        }
        if (trainLimit != null) {
            line.append(" --train-limit ").append(trainLimit);
        }
        if (valLimit != null) {
            line.append(" --val-limit ").append(valLimit);
        }
        if (width != null) {
            line.append(" --width ").append(width);
        }
        if (dataSource.data() != null) {
            line.append(" --data ").append(dataSource.data());
        }
        return line.toString();
    }
}
