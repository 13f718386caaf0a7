package org.bn4j.inception.cli;

import org.bn4j.inception.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A command's settings as command-line arguments, saved with a run so that {@code --resume} restores every one of them
 * without naming them one by one: an option added to the command later (and its mixins) is saved and restored with no
 * code here. On resume an option given again must agree with the saved run; only the {@code sessionOptions} (where
 * to write, whether to resume, how to show progress, ...) may differ.
 */
final class ResumeArguments {

    private ResumeArguments() {
    }

    /**
     * Every option of {@code spec} with its current value (given or default; paths made absolute), except
     * {@code notSaved}.
     */
    static List<String> of(CommandSpec spec, Set<String> notSaved) {
        List<String> arguments = new ArrayList<>();
        byOption(spec).forEach((name, tokens) -> {
            if (!notSaved.contains(name)) {
                arguments.addAll(tokens);
            }
        });
        return arguments;
    }

    /**
     * The command as it was saved ({@code saved}, parsed into a new command from {@code factory}), with the
     * {@code sessionOptions} given on the current command line ({@code current}) applied on top. Every other option
     * given now must have the saved value; a {@link UserError} names each one that does not, with its saved value.
     */
    static <T> T restore(CommandSpec current, List<String> saved, Set<String> sessionOptions, Supplier<T> factory) {
        Map<String, List<String>> savedValues = byOption(parse(saved, factory).getCommandSpec());
        Map<String, List<String>> givenValues = byOption(current);
        List<String> contradictions = new ArrayList<>();
        List<String> arguments = new ArrayList<>(saved);
        for (OptionSpec given : current.commandLine().getParseResult().matchedOptions()) {
            String name = given.longestName();
            if (sessionOptions.contains(name)) {
                arguments.addAll(givenValues.get(name));                  // the last value wins
            } else if (!givenValues.get(name).equals(savedValues.get(name))) {
                contradictions.add(describe(name, givenValues.get(name)) + " (the saved run has "
                        + describe(name, savedValues.get(name)) + ")");
            }
        }
        if (!contradictions.isEmpty()) {
            throw new UserError("--resume continues the saved run with its own settings, but "
                    + String.join("; ", contradictions) + ". Leave these options out when resuming, or start a new "
                    + "run in another --out folder");
        }
        return parse(arguments, factory).getCommand();
    }

    private static CommandLine parse(List<String> arguments, Supplier<?> factory) {
        CommandLine commandLine = new CommandLine(factory.get())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOverwrittenOptionsAllowed(true);
        commandLine.parseArgs(arguments.toArray(new String[0]));
        return commandLine;
    }

    /** Per option (by its longest name): the arguments that reproduce its value; empty for unset or false. */
    private static Map<String, List<String>> byOption(CommandSpec spec) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String name = option.longestName();
            values.put(name, OptionArguments.of(option, // absolute paths: resumable from another directory
                    path -> path.toAbsolutePath().normalize().toString()));
        }
        return values;
    }

    private static String describe(String name, List<String> tokens) {
        return tokens.isEmpty() ? "no " + name : String.join(" ", tokens);
    }
}
