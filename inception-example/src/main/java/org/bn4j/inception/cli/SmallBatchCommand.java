package org.bn4j.inception.cli;

import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.experiment.SmallBatchExperiment;
import org.bn4j.inception.experiment.SmallBatchReport;
import org.bn4j.inception.experiment.SmallBatchSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code experiment small-batch}: BN vs Batch Renormalization over micro-batches (ghost batches) and true small
 * mini-batches (see {@link SmallBatchExperiment}).
 */
@Command(name = "small-batch", mixinStandardHelpOptions = true,
        description = "Ioffe 2017 §4.2: at mini-batch 32 and the same steps, BN over micro-batches of 4 and 8 (ghost "
                + "batches) with and without Batch Renormalization vs BN over the whole mini-batch; and, as a "
                + "separate question, true mini-batches of 4 and 8 (the same images seen). Validation accuracy with "
                + "inference statistics; resumable (--resume).")
public final class SmallBatchCommand implements Callable<Integer> {

    /** Options of a session, not of the experiment: left out of the command the report records. */
    private static final Set<String> SESSION_OPTIONS = Set.of("--resume");

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--mini-batch", paramLabel = "G",
            description = "Mini-batch of the primary comparison (default 32).")
    Integer miniBatch;

    @Option(names = "--micro-batches", split = ",", paramLabel = "B,...",
            description = "Micro-batch sizes the statistics are computed over, each < G (default 4,8).")
    List<Integer> microBatches;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs of the primary runs (default 2).")
    Integer epochs;

    @Option(names = "--small-batch-epochs", paramLabel = "N",
            description = "Epochs of the secondary runs (true mini-batches of B), at most --epochs; 0 skips them "
                    + "(default 1).")
    Integer smallBatchEpochs;

    @Option(names = "--train-limit", paramLabel = "N", description = "Training images (default 6400).")
    Integer trainLimit;

    @Option(names = "--val-limit", paramLabel = "N", description = "Validation images (default 1000).")
    Integer valLimit;

    @Option(names = "--resume", description = "Continue the experiment in --out: runs with a recorded result are "
            + "not trained again, an interrupted run continues from its checkpoint.")
    boolean resume;

    @Option(names = "--width", paramLabel = "X", description = "Width multiplier (default 0.125).")
    Double width;

    @Mixin
    DataSourceMixin dataSource;

    @Mixin
    ConvolutionOption convolution;

    @Mixin
    NativeThreadsOption threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        SmallBatchSettings base = SmallBatchSettings.defaults();
        SmallBatchSettings settings = new SmallBatchSettings(miniBatch != null ? miniBatch : base.miniBatch(),
                microBatches != null ? microBatches : base.microBatches(), epochs != null ? epochs : base.epochs(),
                smallBatchEpochs != null ? smallBatchEpochs : base.smallBatchEpochs(), base.imageSize(),
                width != null ? width : base.widthMultiplier(), trainLimit != null ? trainLimit : base.trainLimit(),
                valLimit != null ? valLimit : base.valLimit(), base.seed(), convolution.convolution());
        DataSourceMixin.Resolved resolved = dataSource.resolve();
        ImageFolderData images = ImageFolderData.load(new DataOptions(resolved.root(), 0.1, false,
                settings.trainLimit(), settings.valLimit(), settings.seed()), resolved.source());
        SmallBatchExperiment.Result result = SmallBatchExperiment.run(settings, images, out,
                ReproducingCommand.of(spec, SESSION_OPTIONS), resume);
        System.out.printf(Locale.ROOT, "small-batch: %d runs (%d reused), %.1f min of training; report %s%n",
                result.runs().size(), result.reused().size(), result.trainingSeconds() / 60,
                out.resolve(SmallBatchReport.FILE));
        return 0;
    }
}
