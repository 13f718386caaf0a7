package org.bn4j.inception.search;

import org.bn4j.inception.UserError;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The command-line syntax of a search dimension: {@code 0.01} (fixed), {@code 0.001:0.1} (a range) or {@code
 * 32,64} (a choice). Ranges are log-uniform or uniform as the dimension needs.
 */
public final class SpaceSyntax {

    private SpaceSyntax() {
    }

    /** A fixed value, a log-uniform range {@code MIN:MAX}, or a list of choices. */
    public static ParameterSpace<Double> logRange(String text, String option) {
        return range(text, option, true);
    }

    /** A fixed value, a uniform range {@code MIN:MAX}, or a list of choices. */
    public static ParameterSpace<Double> linearRange(String text, String option) {
        return range(text, option, false);
    }

    /** A fixed value or a list of choices of doubles. */
    public static ParameterSpace<Double> doubles(String text, String option) {
        return choices(text, option, s -> parseDouble(s, option));
    }

    /** A fixed value or a list of choices of integers. */
    public static ParameterSpace<Integer> integers(String text, String option) {
        return choices(text, option, s -> {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new UserError(option + ": \"" + s + "\" is not an integer");
            }
        });
    }

    /** {@code true}, {@code false} or {@code both} (also {@code on}/{@code off}). */
    public static ParameterSpace<Boolean> bool(String text, String option) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> new FixedValue<>(true);
            case "false", "off", "no" -> new FixedValue<>(false);
            // a discrete choice, not Arbiter's BooleanSpace: grid search cuts a BooleanSpace into gridPoints values
            case "both" -> new DiscreteParameterSpace<>(true, false);
            default -> throw new UserError(option + ": expected on, off or both, got \"" + text + "\"");
        };
    }

    /** A fixed constant or a list of constants of {@code type}, by name (case-insensitive). */
    public static <E extends Enum<E>> ParameterSpace<E> enums(String text, String option, Class<E> type) {
        return choices(text, option, s -> {
            try {
                return Enum.valueOf(type, s.toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new UserError(option + ": \"" + s + "\" is not one of "
                        + Arrays.toString(type.getEnumConstants()));
            }
        });
    }

    private static ParameterSpace<Double> range(String text, String option, boolean log) {
        String[] bounds = text.split(":");
        if (bounds.length == 1) {
            return doubles(text, option);
        }
        if (bounds.length != 2) {
            throw new UserError(option + ": expected VALUE, MIN:MAX or A,B,..., got \"" + text + "\"");
        }
        double min = parseDouble(bounds[0], option);
        double max = parseDouble(bounds[1], option);
        if (!(min < max) || (log && !(min > 0))) {
            throw new UserError(option + ": need " + (log ? "0 < " : "") + "MIN < MAX, got " + text);
        }
        return log ? new ContinuousParameterSpace(new LogUniformDistribution(min, max))
                : new ContinuousParameterSpace(min, max);
    }

    @SuppressWarnings("unchecked")
    private static <T> ParameterSpace<T> choices(String text, String option, Function<String, T> parse) {
        List<T> values = Arrays.stream(text.split(",")).map(String::trim).map(parse).toList();
        if (values.isEmpty()) {
            throw new UserError(option + ": no value given");
        }
        return values.size() == 1 ? new FixedValue<>(values.get(0))
                : new DiscreteParameterSpace<>((T[]) values.toArray());
    }

    private static double parseDouble(String s, String option) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw new UserError(option + ": \"" + s + "\" is not a number");
        }
    }
}
