package org.bn4j.inception.cli;

import org.bn4j.inception.UserError;
import org.apache.spark.api.java.JavaSparkContext;
import org.bn4j.inception.spark.SparkEpochFitter;
import org.bn4j.spark.SparkGraphTrainer;
import org.bn4j.spark.SparkSettings;
import org.bn4j.spark.TrainingMasters;
import org.deeplearning4j.spark.api.TrainingMaster;
import picocli.CommandLine.Option;

/**
 * {@code --spark-master} and the training-master options of {@code train}: training through Apache Spark, these
 * options mapped onto module bn-spark's {@link TrainingMasters} and {@link SparkGraphTrainer}.
 */
public class SparkOptionsMixin {

    @Option(names = "--spark-master", paramLabel = "URL",
            description = "Train through Apache Spark with this master (local[2], spark://host:7077, yarn, ...), then "
                    + "run Algorithm 2 on the executors. Default: no Spark, train in this JVM.")
    String master;

    @Option(names = "--training-master", defaultValue = "averaging", paramLabel = "KIND",
            description = "With --spark-master: averaging (DL4J ParameterAveragingTrainingMaster) or sharing "
                    + "(SharedTrainingMaster, gradient sharing) (default: ${DEFAULT-VALUE}).")
    String trainingMaster;

    @Option(names = "--averaging-frequency", defaultValue = "5", paramLabel = "BATCHES",
            description = "Mini-batches per worker between two parameter averagings (default: ${DEFAULT-VALUE}).")
    int averagingFrequency;

    @Option(names = "--sharing-threshold", defaultValue = "1e-3",
            description = "Encoding threshold of gradient sharing (default: ${DEFAULT-VALUE}).")
    double sharingThreshold;

    @Option(names = "--sharing-port", defaultValue = "40123", paramLabel = "PORT",
            description = "UDP port of gradient sharing on every machine (default: ${DEFAULT-VALUE}).")
    int sharingPort;

    @Option(names = "--spark-partitions", defaultValue = "0", paramLabel = "N",
            description = "Slices of each epoch's mini-batches; 0 = Spark's default parallelism "
                    + "(default: ${DEFAULT-VALUE}).")
    int partitions;

    /** Whether {@code --spark-master} was given. */
    public boolean enabled() {
        return master != null;
    }

    /** A Spark context for the master (loopback only for a local master); Spark's own INFO logging is kept quiet. */
    public JavaSparkContext start() {
        trainingMaster(1); // fail on a bad --training-master before starting Spark
        for (String logger : new String[] {"org.apache.spark", "org.sparkproject", "org.apache.hadoop"}) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn"); // read by slf4j-simple when Spark creates its loggers
            }
        }
        return new JavaSparkContext(SparkSettings.conf(master, "bn4j inception train"));
    }

    /** The fitter for mini-batches of {@code batchSize} images. */
    public SparkEpochFitter fitter(JavaSparkContext sc, int batchSize) {
        TrainingMaster<?, ?> trainingMaster = trainingMaster(batchSize);
        return new SparkEpochFitter(network -> {
            SparkGraphTrainer trainer = new SparkGraphTrainer(sc, network, trainingMaster);
            return partitions > 0 ? trainer.partitions(partitions) : trainer;
        });
    }

    /** e.g. "Spark local[2], ParameterAveragingTrainingMaster" for the console. */
    public String describe() {
        return "Spark " + master + ", " + (isSharing() ? "SharedTrainingMaster (gradient sharing, threshold "
                + sharingThreshold + ")" : "ParameterAveragingTrainingMaster (every " + averagingFrequency
                + " batches)");
    }

    private boolean isSharing() {
        switch (trainingMaster) {
            case "averaging":
                return false;
            case "sharing":
                return true;
            default:
                throw new UserError("--training-master must be averaging or sharing, got \""
                        + trainingMaster + "\"");
        }
    }

    private TrainingMaster<?, ?> trainingMaster(int batchSize) {
        if (!isSharing()) {
            return TrainingMasters.parameterAveraging(batchSize, averagingFrequency);
        }
        SparkSettings.extendAeronTimeout();
        return TrainingMasters.gradientSharing(TrainingMasters.forMaster(master, sharingPort), batchSize,
                sharingThreshold);
    }
}
