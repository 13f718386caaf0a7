package org.bn4j.inception.experiment;

import java.util.List;
import java.util.Optional;

/**
 * What Experiment 2 (Ioffe &amp; Szegedy 2015, §4.2.1) produced.
 *
 * @param settings     the settings it ran with
 * @param dataSource   where the images came from
 * @param runs         the finished runs, in {@link Fig3Settings#runs()} order
 * @param totalSeconds wall time of the session that finished the experiment
 * @param classes      number of classes (chance is 1 / classes)
 * @param plan         the compute plan it ran under
 */
public record Fig3Result(Fig3Settings settings, String dataSource, List<Fig3Run> runs, double totalSeconds,
                         int classes, Fig3Plan plan) {

    /** Copies the runs. */
    public Fig3Result {
        runs = List.copyOf(runs);
    }

    /** The curves, in run order. */
    public List<Curve> curves() {
        return runs.stream().map(Fig3Run::curve).toList();
    }

    /** The run of {@code recipe} with the seed {@code seedIndex}, if it ran. */
    public Optional<Fig3Run> run(String recipe, int seedIndex) {
        return runs.stream().filter(r -> r.recipe().equals(recipe) && r.seedIndex() == seedIndex).findFirst();
    }

    /** The baseline's run with the seed {@code seedIndex}. */
    public Fig3Run baseline(int seedIndex) {
        return run(settings.baseline(), seedIndex).orElseThrow();
    }
}
