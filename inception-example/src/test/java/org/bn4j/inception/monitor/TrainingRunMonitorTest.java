package org.bn4j.inception.monitor;

import org.bn4j.inception.cli.MonitorOption;
import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.FashionMnistFolders;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.train.NetworkSettings;
import org.bn4j.inception.train.TrainingRun;
import org.bn4j.inception.train.TrainingSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code train --monitor} wiring: a {@link MonitorOption} listener added to a {@link TrainingRun}. */
class TrainingRunMonitorTest {

    @TempDir
    Path dir;

    @Test
    @Tag("slow")
    void aTrainingRunWithTheMonitorOptionWritesPercentilesFromTheFirstStep() throws Exception {
        FashionMnistFolders.Prepared prepared = FashionMnistFolders.prepare(dir.resolve("cache"),
                dir.resolve("no-debian-copy"));
        ImageFolderData data = ImageFolderData.load(new DataOptions(prepared.root(), 0.1, false, 64, 20, 1),
                prepared.source());
        NetworkSettings network = new NetworkSettings(28, 28, 1, 0.0625, Stem.AUTO, ConvolutionKind.FAST);
        Path out = dir.resolve("run");
        TrainingRun.Builder builder = TrainingRun.builder(RecipeCatalog.bundled().get("bn-x5-sigmoid"), network, data,
                new TrainingSettings(1, 32, 1000, out, 1, false));

        MonitorOption monitor = new MonitorOption();
        new CommandLine(monitor).parseArgs("--monitor", "3a/3x3/bn:0,3b", "--monitor-every", "1");
        try (MonitorOption distributions = monitor) {
            distributions.listener(new ImageBatches(network.imageShape(), data.labels())
                    .iterator(data.val(), 64, null), out).ifPresent(builder::listener);
            builder.build().run(false);
        }

        List<PercentileRecord> records = PercentileRecord.readCsv(out.resolve("monitor.csv"));
        assertEquals(List.of(0L, 1L, 2L), records.stream().map(PercentileRecord::step).distinct().toList());
        assertEquals(List.of("3a/3x3/bn:0", "3b"), records.stream().map(PercentileRecord::target).distinct()
                .toList());
        assertTrue(Files.size(out.resolve("monitor.png")) > 0);
    }
}
