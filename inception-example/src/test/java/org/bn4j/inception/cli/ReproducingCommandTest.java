package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReproducingCommandTest {

    @Test
    void theRecordedCommandOfFig3ReparsesToTheSameOptionValues() {
        CommandSpec fig3 = parse(InceptionApp.commandLine(), "experiment", "fig3", "--out", "runs/fig3", "--quick",
                "--conv", "dl4j", "--threads", "2", "--recipes", "inception,bn-x5", "--width", "0.5",
                "--replicas", "1", "--data", "images/my data");
        List<String> arguments = ReproducingCommand.arguments(fig3, Set.of());

        assertEquals(List.of("experiment", "fig3"), arguments.subList(0, 2));
        assertTrue(String.join(" ", arguments).contains("--conv DL4J"), arguments.toString());
        assertTrue(String.join(" ", arguments).contains("--threads 2"), arguments.toString());
        assertFalse(arguments.contains("--images-per-second"), "an option left at its default is left out");
        assertSameOptionValues(fig3, parse(InceptionApp.commandLine(), arguments.toArray(new String[0])));
        String line = ReproducingCommand.of(fig3, Set.of());
        assertTrue(line.startsWith(ReproducingCommand.LAUNCHER + " experiment fig3 --out runs/fig3 "), line);
        assertTrue(line.contains("--data 'images/my data'"), "quoted for a shell: " + line);
    }

    @Test
    void fig1UnderTheExperimentCommandAloneRecordsItsThreads() {
        CommandSpec fig1 = parse(new CommandLine(new ExperimentCommand()), "fig1", "--out", "runs/fig1", "--steps",
                "500", "--threads", "4");
        assertEquals(ReproducingCommand.LAUNCHER + " experiment fig1 --out runs/fig1 --steps 500 --threads 4",
                ReproducingCommand.of(fig1, Set.of()));
        assertSameOptionValues(fig1, parse(InceptionApp.commandLine(),
                ReproducingCommand.arguments(fig1, Set.of()).toArray(new String[0])));
    }

    @Test
    void sessionOptionsAreLeftOutSoThatAResumedRunRecordsTheSameCommand() {
        String[] first = {"experiment", "small-batch", "--out", "runs/sb", "--epochs", "1"};
        String[] resumed = {"experiment", "small-batch", "--out", "runs/sb", "--resume", "--epochs", "1"};
        assertEquals(ReproducingCommand.of(parse(InceptionApp.commandLine(), first), Set.of("--resume")),
                ReproducingCommand.of(parse(InceptionApp.commandLine(), resumed), Set.of("--resume")));
    }

    /** The spec of the innermost subcommand of {@code arguments}, parsed by {@code commandLine}. */
    private static CommandSpec parse(CommandLine commandLine, String... arguments) {
        CommandLine.ParseResult result = commandLine.parseArgs(arguments);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec();
    }

    private static void assertSameOptionValues(CommandSpec expected, CommandSpec actual) {
        assertEquals(expected.qualifiedName().replaceFirst("^inception-example ", ""),
                actual.qualifiedName().replaceFirst("^inception-example ", ""));
        for (OptionSpec option : expected.options()) {
            Object expectedValue = option.getValue();
            Object actualValue = actual.findOption(option.longestName()).getValue();
            assertEquals(expectedValue, actualValue, option.longestName());
        }
    }
}
