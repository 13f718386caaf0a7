package org.bn4j.inception.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code experiment fig1|fig3|small-batch}: the paper's experiments (Ioffe &amp; Szegedy 2015, §4.1 and §4.2.1), and
 * small mini-batches with Batch Renormalization and ghost batches (Ioffe 2017), with their CSVs, plots and reports.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Reproduce the paper's experiments: fig1 (section 4.1, MLP) and fig3 (section 4.2.1, "
                + "Inception recipes); small-batch (Ioffe 2017: BN vs Batch Renorm over micro-batches of 4, 8 in "
                + "mini-batches of 32).",
        subcommands = {Fig1Command.class, Fig3Command.class, SmallBatchCommand.class})
public final class ExperimentCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Runs {@code experiment ...} on its own (java -cp inception-example.jar ...ExperimentCommand fig1 ...). */
    public static void main(String[] args) {
        org.bn4j.ShapeInfoCache.install();
        System.exit(new CommandLine(new ExperimentCommand()).execute(args));
    }
}
