package org.bn4j.inception;

import org.bn4j.inception.cli.EvaluateCommand;
import org.bn4j.inception.cli.PredictCommand;
import org.bn4j.inception.cli.TrainCommand;
import org.bn4j.inception.cli.ExperimentCommand;
import org.bn4j.inception.cli.SearchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Command-line entry point of the inception example (Ioffe &amp; Szegedy 2015, §4.2): {@code train}, {@code
 * evaluate}, {@code predict}, {@code experiment fig1|fig3} and {@code search}. Subcommands are registered in {@link #commandLine()}, the one place to add more.
 *
 * <p>User errors ({@link UserError}: bad data, bad options, unknown recipe) print {@code error: <message>} and exit
 * with status 2; anything else, {@code IllegalArgumentException}s and {@code IllegalStateException}s from bugs
 * included, prints its stack trace and exits with status 1.
 */
@Command(name = "inception-example", mixinStandardHelpOptions = true, version = "bn4j inception-example 0.1.0",
        description = "BN-Inception (Ioffe & Szegedy 2015) trained on image folders with the paper's recipes.")
public final class InceptionApp implements Runnable {

    /** Exit status of a user error. */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with every subcommand registered and user errors reported without a stack trace. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new InceptionApp())
                .addSubcommand(new TrainCommand())
                .addSubcommand(new EvaluateCommand())
                .addSubcommand(new PredictCommand())
                .addSubcommand(new ExperimentCommand())
                .addSubcommand(new SearchCommand())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOverwrittenOptionsAllowed(true); // the last value wins: wrappers can pass defaults first
        commandLine.registerConverter(Double.class, InceptionApp::finiteNumber);
        commandLine.registerConverter(Double.TYPE, InceptionApp::finiteNumber);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof UserError) {
                cmd.getErr().println("error: " + e.getMessage());
                return USER_ERROR;
            }
            throw e;
        });
        return commandLine;
    }

    /** An option's number: NaN and infinities are rejected when the command line is parsed. */
    private static Double finiteNumber(String text) {
        double value;
        try {
            value = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a finite number");
        }
        return value;
    }

    /**
     * Runs the command line and exits with its status. Every command runs with ND4J's shape information cached
     * ({@link org.bn4j.ShapeInfoCache}: fewer native allocations per step, no effect on results).
     */
    public static void main(String[] args) {
        org.bn4j.ShapeInfoCache.install();
        System.exit(commandLine().execute(args));
    }
}
