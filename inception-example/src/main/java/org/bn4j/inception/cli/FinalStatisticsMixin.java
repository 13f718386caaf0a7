package org.bn4j.inception.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --population-batches} option of {@code train} and {@code search}: which population statistics the
 * final network (and its validation accuracy) uses, the same procedure for both commands.
 */
public class FinalStatisticsMixin {

    @Option(names = "--population-batches", defaultValue = "20", paramLabel = "N",
            description = "After the last epoch, estimate BN population statistics with the paper's Algorithm 2 from "
                    + "up to N training batches; 0 keeps the moving averages (default: ${DEFAULT-VALUE}).")
    int populationBatches;

    /** Training batches for Algorithm 2 after the last epoch; 0 keeps the moving averages. */
    public int populationBatches() {
        return populationBatches;
    }
}
