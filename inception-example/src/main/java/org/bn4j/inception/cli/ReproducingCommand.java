package org.bn4j.inception.cli;

import org.bn4j.inception.InceptionApp;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The command line that reproduces a run, as an experiment's report records it: rebuilt from what picocli parsed, so
 * that an option added to a command is recorded with no code here. It holds the subcommand names from the
 * application's root ({@code experiment fig3}), then every option that was given or does not have its default value,
 * in the order the command declares them (mixins included); paths as they were given. Options that say how a session
 * runs rather than what it computes ({@code --resume}, {@code --no-progress}) are left out by the command, so that a
 * resumed run records the same command as the run it continues.
 */
final class ReproducingCommand {

    /** How the application is started from the repository root. */
    static final String LAUNCHER = "java -jar inception-example/target/inception-example.jar";
    /** Arguments a POSIX shell reads as one word without quotes. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:,=@%+-]+");

    private ReproducingCommand() {
    }

    /** The arguments after {@link #LAUNCHER} that reproduce the parsed command {@code spec}, but {@code leftOut}. */
    static List<String> arguments(CommandSpec spec, Set<String> leftOut) {
        List<String> arguments = new ArrayList<>(subcommandPath(spec));
        ParseResult parsed = spec.commandLine().getParseResult();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || leftOut.contains(option.longestName())) {
                continue;
            }
            if (parsed.hasMatchedOption(option) || !hasDefaultValue(option)) {
                arguments.addAll(OptionArguments.of(option, Path::toString));
            }
        }
        return arguments;
    }

    /** The whole command line for a report: {@link #LAUNCHER} and the {@link #arguments}, quoted for a shell. */
    static String of(CommandSpec spec, Set<String> leftOut) {
        return LAUNCHER + " " + arguments(spec, leftOut).stream().map(ReproducingCommand::quoted)
                .collect(Collectors.joining(" "));
    }

    /** The names of the commands from below the application's root down to {@code spec}. */
    private static List<String> subcommandPath(CommandSpec spec) {
        LinkedList<String> names = new LinkedList<>();
        for (CommandSpec command = spec; command != null && !(command.userObject() instanceof InceptionApp);
             command = command.parent()) {
            names.addFirst(command.name());
        }
        return names;
    }

    /** True when {@code option} holds the value its declared default converts to (false: it has no default). */
    private static boolean hasDefaultValue(OptionSpec option) {
        String text = option.defaultValue();
        Object value = option.getValue();
        if (text == null) {
            return false;
        }
        if (value instanceof Number number) {
            try {
                return Double.parseDouble(text) == number.doubleValue();
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (value instanceof Enum<?> constant) {
            return constant.name().equalsIgnoreCase(text);          // parsed case-insensitively
        }
        return text.equals(String.valueOf(value));
    }

    private static String quoted(String argument) {
        return PLAIN.matcher(argument).matches() ? argument : "'" + argument.replace("'", "'\\''") + "'";
    }
}
