package org.bn4j.inception.experiment;

import java.util.List;

/**
 * One finished run of Experiment 2, saved atomically as {@code runs/<id>/fig3-run.json} when it ends, so that a
 * resumed experiment never trains it again.
 *
 * @param id           folder name under {@code runs/} (see {@link Fig3Settings.Run#id()})
 * @param recipe       recipe name
 * @param seedIndex    0-based index of the seed
 * @param seed         the seed of shuffling and initialization
 * @param points       validation accuracy against steps
 * @param steps        steps trained
 * @param trainSeconds seconds spent in training steps (validation excluded), over every session of the run
 * @param wallSeconds  wall seconds of the session that finished the run (validations and checkpoints included)
 * @param stopReason   which rule ended it (see {@link ConvergenceRule})
 */
public record Fig3Run(String id, String recipe, int seedIndex, long seed, List<Curve.Point> points, long steps,
                      double trainSeconds, double wallSeconds, String stopReason) {

    /** File name of the record inside the run folder. */
    public static final String FILE = "fig3-run.json";

    /** Copies the points. */
    public Fig3Run {
        points = List.copyOf(points);
    }

    /** The learning curve, named by {@link #id}. */
    public Curve curve() {
        return new Curve(id, points);
    }
}
