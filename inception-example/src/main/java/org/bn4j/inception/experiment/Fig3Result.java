package org.bn4j.inception.experiment;

import java.util.List;

/**
 * What Experiment 2 (Ioffe &amp; Szegedy 2015, §4.2.1) produced.
 *
 * @param settings   the settings it ran with
 * @param dataSource where the images came from
 * @param curves     validation accuracy against steps, one per recipe, in recipe order
 * @param seconds    wall time per recipe, in recipe order
 * @param totalSeconds wall time of the whole experiment
 */
public record Fig3Result(Fig3Settings settings, String dataSource, List<Curve> curves, List<Double> seconds,
                         double totalSeconds) {

    /** The baseline's curve. */
    public Curve baseline() {
        return curves.get(0);
    }
}
