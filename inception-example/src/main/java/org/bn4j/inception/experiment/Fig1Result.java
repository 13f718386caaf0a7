package org.bn4j.inception.experiment;

import org.bn4j.inception.monitor.PercentileRecord;

import java.nio.file.Path;
import java.util.List;

/**
 * What Experiment 1 (Ioffe &amp; Szegedy 2015, §4.1) produced.
 *
 * @param settings           the settings it ran with
 * @param dataSource         where the data came from
 * @param withoutBn          test accuracy of the network without BN
 * @param withBn             test accuracy of the network with BN (moving-average population statistics)
 * @param withBnAlgorithm2   test accuracy of the same network with the population statistics of the paper's
 *                           Algorithm 2 (estimated on a copy at each evaluation)
 * @param percentilesWithout sigmoid-input percentiles without BN, all targets
 * @param percentilesWith    sigmoid-input percentiles with BN, all targets
 * @param figureTarget       label of the target of Figure 1(b,c)
 * @param msPerStepWithout   mean training time per step without BN
 * @param msPerStepWith      mean training time per step with BN
 * @param seconds            wall time of the whole experiment
 * @param files              files written, relative to the output folder
 */
public record Fig1Result(Fig1Settings settings, String dataSource, Curve withoutBn, Curve withBn,
                         Curve withBnAlgorithm2,
                         List<PercentileRecord> percentilesWithout, List<PercentileRecord> percentilesWith,
                         String figureTarget, double msPerStepWithout, double msPerStepWith, double seconds,
                         List<Path> files) {
}
