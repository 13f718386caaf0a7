package org.bn4j.inception.cli;

import picocli.CommandLine.Option;

/** {@code --decode-threads}: how many threads decode and augment the images of a batch. */
public class DecodeThreadsOption {

    @Option(names = "--decode-threads", defaultValue = "1", paramLabel = "N",
            description = "Threads that decode and augment the images of a batch while the previous batch trains; 1 "
                    + "decodes on the prefetch thread as before (with --augment, N > 1 draws each image's crop from "
                    + "its own seed: other, equally random batches). Default: ${DEFAULT-VALUE}.")
    int threads;

    int threads() {
        return threads;
    }
}
