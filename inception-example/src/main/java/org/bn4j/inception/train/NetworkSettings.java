package org.bn4j.inception.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.bn4j.inception.data.ImageShape;
import org.bn4j.inception.net.BnInceptionBuilder;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.Objects;

/**
 * The network's shape choices (everything but the recipe's variant and optimizer).
 *
 * @param height          input height
 * @param width           input width
 * @param channels        input channels, 1 or 3
 * @param widthMultiplier factor on every channel count of the paper's table
 * @param stem            which stem (AUTO: small up to 64 px)
 * @param convolution     which convolution layer; never null (a run.json written before this setting existed reads as
 *                        {@link #CONVOLUTION_BEFORE_RECORDED}, see {@link #fromJson})
 */
public record NetworkSettings(int height, int width, int channels, double widthMultiplier, Stem stem,
                              ConvolutionKind convolution) {

    /** The convolution layer of runs saved before the choice was recorded: DL4J's, the only one then. */
    public static final ConvolutionKind CONVOLUTION_BEFORE_RECORDED = ConvolutionKind.DL4J;

    /** Throws NullPointerException for a missing convolution. */
    public NetworkSettings {
        Objects.requireNonNull(convolution, "convolution");
    }

    /**
     * Settings as saved in a run.json: a manifest written before {@code convolution} was recorded lacks it, and
     * reads as {@link #CONVOLUTION_BEFORE_RECORDED}.
     */
    @JsonCreator
    static NetworkSettings fromJson(@JsonProperty("height") int height, @JsonProperty("width") int width,
                                    @JsonProperty("channels") int channels,
                                    @JsonProperty("widthMultiplier") double widthMultiplier,
                                    @JsonProperty("stem") Stem stem,
                                    @JsonProperty("convolution") ConvolutionKind convolution) {
        return new NetworkSettings(height, width, channels, widthMultiplier, stem,
                convolution != null ? convolution : CONVOLUTION_BEFORE_RECORDED);
    }

    /** The image shape the data must be converted to. */
    public ImageShape imageShape() {
        return new ImageShape(height, width, channels);
    }

    /** A new, initialized BN-Inception (or variant) for this recipe and data. */
    public ComputationGraph build(Recipe recipe, int numClasses, int iterationsPerEpoch, long seed) {
        ComputationGraph network = new ComputationGraph(configuration(recipe, numClasses, iterationsPerEpoch, seed));
        network.init();
        return network;
    }

    /**
     * The configuration {@link #build} initializes, for callers that adjust it first ({@link TrainingRun}: the
     * search's BN options).
     */
    public ComputationGraphConfiguration configuration(Recipe recipe, int numClasses, int iterationsPerEpoch,
                                                       long seed) {
        BnInceptionBuilder builder = new BnInceptionBuilder()
                .input(height, width, channels)
                .numClasses(numClasses)
                .widthMultiplier(widthMultiplier)
                .stem(stem)
                .convolution(convolution)
                .seed(seed);
        return recipe.configure(builder, iterationsPerEpoch).buildConfiguration();
    }
}
