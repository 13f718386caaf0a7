package org.bn4j.inception.cli;

import org.bn4j.inception.data.ImageBatches;
import picocli.CommandLine.Option;

/** {@code --decode-threads}: how many threads decode and augment the images of a batch. */
public class DecodeThreadsOption {

    @Option(names = "--decode-threads", defaultValue = "" + ImageBatches.DEFAULT_DECODE_THREADS, paramLabel = "N",
            description = "Threads that decode and augment the images of a batch while the previous batch trains; 1 "
                    + "decodes on the prefetch thread as before (with --augment, N > 1 draws each image's crop from "
                    + "its own seed: other, equally random batches). Default: ${DEFAULT-VALUE}.")
    int threads;

    int threads() {
        return threads;
    }
}
