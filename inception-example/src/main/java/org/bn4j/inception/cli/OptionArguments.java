package org.bn4j.inception.cli;

import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * The command-line arguments that give a parsed option its current value, the one translation from a value back to
 * arguments for the commands that record their options ({@link ResumeArguments}, {@link ReproducingCommand}).
 */
final class OptionArguments {

    private OptionArguments() {
    }

    /**
     * The arguments that set {@code option} (by its longest name) to its current value: none for an unset option or a
     * false flag, the name alone for a true flag, the name before each element of a collection; paths are written by
     * {@code pathText}.
     */
    static List<String> of(OptionSpec option, Function<Path, String> pathText) {
        String name = option.longestName();
        Object value = option.getValue();
        List<String> tokens = new ArrayList<>();
        if (option.arity().max() == 0) {
            if (Boolean.TRUE.equals(value)) {
                tokens.add(name);
            }
        } else if (value instanceof Collection<?> collection) {
            for (Object element : collection) {
                tokens.add(name);
                tokens.add(String.valueOf(element));
            }
        } else if (value instanceof Path path) {
            tokens.add(name);
            tokens.add(pathText.apply(path));
        } else if (value != null) {
            tokens.add(name);
            tokens.add(String.valueOf(value));
        }
        return tokens;
    }
}
