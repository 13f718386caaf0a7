package org.bn4j.inception.experiment;

import org.bn4j.inception.recipe.RecipeCatalog;

import java.util.Locale;

/**
 * The compute plan of Experiment 2 before it runs: steps per epoch, validations per epoch, the plateau in epochs, and
 * the worst case (every run to its step cap) in hours, each run at its recipe's throughput (measured per recipe:
 * {@link Fig3Throughput}). Without a measurement, one training throughput is assumed for every recipe, and validation
 * (a forward pass only) {@value #FORWARD_SPEEDUP}× faster per image than a training step (forward + backward +
 * update).
 *
 * @param settings    the experiment
 * @param trainImages training images (after the limit)
 * @param valImages   validation images (after the limit)
 * @param throughput  training and validation throughput per recipe, measured or assumed
 * @param measured    whether the throughputs were measured on this machine
 */
public record Fig3Plan(Fig3Settings settings, int trainImages, int valImages, Fig3Throughput throughput,
                       boolean measured) {

    /** Validation images per second / training images per second (an estimate: forward only vs forward+backward). */
    public static final double FORWARD_SPEEDUP = 3.0;
    /** The time the whole experiment should fit in on 2 cores (issue 25). */
    public static final double BUDGET_HOURS = 2.5;

    /** A plan for the limits of {@code settings} (the data holding at least that many images), assumed throughput. */
    public static Fig3Plan of(Fig3Settings settings, double imagesPerSecond) {
        return assumed(settings, settings.trainLimit(), settings.valLimit(), imagesPerSecond);
    }

    /** A plan for these image counts at an assumed training throughput. */
    public static Fig3Plan assumed(Fig3Settings settings, int trainImages, int valImages, double imagesPerSecond) {
        return new Fig3Plan(settings, trainImages, valImages,
                Fig3Throughput.uniform(new Fig3Throughput.Rate(imagesPerSecond, imagesPerSecond * FORWARD_SPEEDUP)),
                false);
    }

    /** A plan for these image counts at a measured throughput. */
    public static Fig3Plan measured(Fig3Settings settings, int trainImages, int valImages, Fig3Throughput measured) {
        return new Fig3Plan(settings, trainImages, valImages, measured, true);
    }

    /** Training steps per epoch. */
    public int stepsPerEpoch() {
        return (trainImages + settings.batchSize() - 1) / settings.batchSize();
    }

    /** Validations per epoch. */
    public double evaluationsPerEpoch() {
        return stepsPerEpoch() / (double) settings.evaluateEvery();
    }

    /** Epochs without a new best that make a plateau. */
    public double plateauEpochs() {
        return settings.patience() * (double) settings.evaluateEvery() / stepsPerEpoch();
    }

    /** Seconds of one training step of {@code recipe}. */
    public double secondsPerStep(String recipe) {
        return settings.batchSize() / throughput.of(recipe).trainImagesPerSecond();
    }

    /** Seconds of one validation of {@code recipe}. */
    public double secondsPerValidation(String recipe) {
        return valImages / throughput.of(recipe).validationImagesPerSecond();
    }

    /** Worst-case seconds of a run of {@code recipe} capped at {@code steps}: its steps and its validations. */
    public double worstSeconds(String recipe, long steps) {
        return steps * secondsPerStep(recipe) + (steps / settings.evaluateEvery()) * secondsPerValidation(recipe);
    }

    /** Step cap of one run: the control's for a recipe without BN other than the baseline. */
    public long capOf(String recipe) {
        boolean control = !recipe.equals(settings.baseline()) && !RecipeCatalog.bundled().get(recipe).batchNorm();
        return control ? settings.controlMaxSteps() : settings.maxSteps();
    }

    /** Worst-case seconds of the whole experiment. */
    public double worstTotalSeconds() {
        return settings.runs().stream().mapToDouble(r -> worstSeconds(r.recipe(), capOf(r.recipe()))).sum();
    }

    /** The plan in words, with its arithmetic. */
    public String render() {
        Fig3Settings s = settings;
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "fig3 plan: %d runs: %s%n", s.runs().size(),
                String.join(", ", s.runs().stream().map(Fig3Settings.Run::id).toList())));
        t.append(String.format(Locale.ROOT, "  data: %d training images, %d validation images, %d×%d px; network "
                + "width ×%s, batch %d%n", trainImages, valImages, s.imageSize(), s.imageSize(), s.widthMultiplier(),
                s.batchSize()));
        t.append(String.format(Locale.ROOT, "  steps per epoch: ceil(%d / %d) = %d; a validation every %d steps = "
                        + "%.2f per epoch; plateau: %d validations without a new best = %.2f epochs%n", trainImages,
                s.batchSize(), stepsPerEpoch(), s.evaluateEvery(), evaluationsPerEpoch(), s.patience(),
                plateauEpochs()));
        if (throughput.byRecipe().isEmpty()) {
            appendRate(t, measured ? "measured" : "assumed; validation " + FORWARD_SPEEDUP + "× training",
                    throughput.fallback());
        } else {
            throughput.byRecipe().forEach((recipe, rate) -> appendRate(t, (measured ? "measured" : "assumed") + ", "
                    + recipe, rate));
        }
        for (Fig3Settings.Run run : s.runs()) {
            long cap = capOf(run.recipe());
            t.append(String.format(Locale.ROOT, "  %-22s cap %5d steps (%.1f epochs): %d × %.3f + %d × %.2f = "
                            + "%5.0f s%n", run.id(), cap, cap / (double) stepsPerEpoch(), cap,
                    secondsPerStep(run.recipe()), cap / s.evaluateEvery(), secondsPerValidation(run.recipe()),
                    worstSeconds(run.recipe(), cap)));
        }
        double hours = worstTotalSeconds() / 3600;
        t.append(String.format(Locale.ROOT, "  worst case (every run to its cap): %.0f s = %.2f h (budget %.1f h: "
                + "%s)%n", worstTotalSeconds(), hours, BUDGET_HOURS, hours <= BUDGET_HOURS ? "fits" : "OVER"));
        if (evaluationsPerEpoch() < 4 || plateauEpochs() < 5 || valImages < 2000) {
            t.append("  note: below issue 25's floor (>= 4 validations per epoch, a plateau of >= 5 epochs, >= 2,000 "
                    + "validation images): a toy run\n");
        }
        return t.toString();
    }

    private void appendRate(StringBuilder t, String what, Fig3Throughput.Rate rate) {
        double train = rate.trainImagesPerSecond();
        double validation = rate.validationImagesPerSecond();
        t.append(String.format(Locale.ROOT, "  throughput (%s): %.0f training images/s, %.0f validation images/s: "
                        + "a step %d / %.0f = %.3f s; a validation %d / %.0f = %.2f s%n", what, train, validation,
                settings.batchSize(), train, settings.batchSize() / train, valImages, validation,
                valImages / validation));
    }
}
