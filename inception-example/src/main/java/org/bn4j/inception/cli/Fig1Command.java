package org.bn4j.inception.cli;

import org.bn4j.inception.experiment.FashionMnistArrays;
import org.bn4j.inception.experiment.Fig1Experiment;
import org.bn4j.inception.experiment.Fig1Report;
import org.bn4j.inception.experiment.Fig1Result;
import org.bn4j.inception.experiment.Fig1Settings;
import org.bn4j.inception.data.FashionMnistFolders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code experiment fig1}: Experiment 1 of Ioffe &amp; Szegedy 2015, §4.1 / Figure 1 (see {@link Fig1Experiment}). */
@Command(name = "fig1", mixinStandardHelpOptions = true,
        description = "MLP 784-100-100-100-10 (sigmoid) with and without BN on Fashion-MNIST: test accuracy and "
                + "sigmoid-input percentiles over training (paper Figure 1).")
public final class Fig1Command implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--quick", description = "Seconds-long smoke test: 300 steps on 6,000 images.")
    boolean quick;

    @Option(names = "--steps", paramLabel = "N", description = "Training steps (default 50000; quick: 300).")
    Long steps;

    @Option(names = "--fashion-mnist-dir", paramLabel = "DIR", defaultValue = FashionMnistFolders.DEBIAN_DIR,
            description = "Folder with the Fashion-MNIST *-ubyte.gz files; the bundled sample is used when it has "
                    + "none (default: ${DEFAULT-VALUE}).")
    Path fashionMnist;

    @Mixin
    NativeThreadsOption threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        threads.apply();
        Fig1Settings settings = quick ? Fig1Settings.quick() : Fig1Settings.defaults();
        if (steps != null) {
            settings = settings.withSteps(steps);
        }
        FashionMnistArrays data = FashionMnistArrays.load(fashionMnist, settings.trainLimit(), settings.testLimit());
        Fig1Result result = Fig1Experiment.run(settings, data, out, ReproducingCommand.of(spec, Set.of()));
        System.out.printf(java.util.Locale.ROOT, "fig1: %.1f s; final test accuracy without BN %.4f, with BN %.4f;"
                        + " report %s%n", result.seconds(), result.withoutBn().last(), result.withBn().last(),
                out.resolve(Fig1Report.FILE));
        return 0;
    }
}
