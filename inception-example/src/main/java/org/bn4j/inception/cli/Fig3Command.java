package org.bn4j.inception.cli;

import org.bn4j.inception.experiment.Fig3Experiment;
import org.bn4j.inception.experiment.Fig3Report;
import org.bn4j.inception.experiment.Fig3Result;
import org.bn4j.inception.experiment.Fig3Settings;
import org.bn4j.inception.experiment.NativeThreads;
import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.cli.ConvolutionOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code experiment fig3}: Experiment 2 of Ioffe &amp; Szegedy 2015, §4.2.1 / Figures 2 and 3 (see
 * {@link Fig3Experiment}).
 */
@Command(name = "fig3", mixinStandardHelpOptions = true,
        description = "Train the recipes inception, bn-baseline, bn-x5, bn-x30, bn-x5-sigmoid on the same images: "
                + "validation accuracy against steps (paper Figure 2) and steps to the baseline's best accuracy "
                + "(Figure 3).")
public final class Fig3Command implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--quick", description = "Test-sized run: 2 epochs of 160 images, width 0.0625.")
    boolean quick;

    @Option(names = "--recipes", split = ",", paramLabel = "NAME,...",
            description = "Recipes, baseline first (default: inception,bn-baseline,bn-x5,bn-x30,bn-x5-sigmoid).")
    List<String> recipes;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per recipe (default 4; quick: 2).")
    Integer epochs;

    @Option(names = "--train-limit", paramLabel = "N", description = "Training images (default 800; quick: 160).")
    Integer trainLimit;

    @Mixin
    DataSourceMixin dataSource;

    @Mixin
    ConvolutionOption convolution;

    @Mixin
    ReplicasOption replicas;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "ND4J threads; 0 keeps ND4J's default (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        NativeThreads.limit(threads);
        Fig3Settings base = quick ? Fig3Settings.quick() : Fig3Settings.defaults();
        Fig3Settings settings = new Fig3Settings(recipes != null ? recipes : base.recipes(),
                epochs != null ? epochs : base.epochs(), base.batchSize(), base.imageSize(), base.widthMultiplier(),
                trainLimit != null ? trainLimit : base.trainLimit(), base.valLimit(), base.seed(),
                convolution.convolution());
        DataSourceMixin.Resolved resolved = dataSource.resolve();
        ImageFolderData images = ImageFolderData.load(new DataOptions(resolved.root(), 0.1, false,
                settings.trainLimit(), settings.valLimit(), settings.seed()), resolved.source());
        Fig3Result result = Fig3Experiment.run(settings, images, out, commandLine(), replicas.replicas());
        System.out.printf(Locale.ROOT, "fig3: %.1f min; report %s%n", result.totalSeconds() / 60,
                out.resolve(Fig3Report.FILE));
        return 0;
    }

    private String commandLine() {
        StringBuilder line = new StringBuilder("java -jar inception-example/target/inception-example.jar "
                + "experiment fig3 --out ").append(out);
        if (quick) {
            line.append(" --quick");
        }
        if (recipes != null) {
            line.append(" --recipes ").append(String.join(",", recipes));
        }
        if (epochs != null) {
            line.append(" --epochs ").append(epochs);
        }
        if (trainLimit != null) {
            line.append(" --train-limit ").append(trainLimit);
        }
        if (replicas.replicas != 0) {
            line.append(" --replicas ").append(replicas.replicas);
        }
        if (dataSource.data() != null) {
            line.append(" --data ").append(dataSource.data());
        }
        return line.toString();
    }
}
