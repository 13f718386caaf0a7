package org.bn4j.inception.train;

import org.bn4j.inception.data.ImageShape;
import org.bn4j.inception.net.BnInceptionBuilder;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * The network's shape choices (everything but the recipe's variant and optimizer).
 *
 * @param height          input height
 * @param width           input width
 * @param channels        input channels, 1 or 3
 * @param widthMultiplier factor on every channel count of the paper's table
 * @param stem            which stem (AUTO: small up to 64 px)
 * @param convolution     which convolution layer; absent in a run.json written before this setting existed, which
 *                        means DL4J's (what those runs used)
 */
public record NetworkSettings(int height, int width, int channels, double widthMultiplier, Stem stem,
                              ConvolutionKind convolution) {

    /** Null {@code convolution} (an older run.json) reads as {@link ConvolutionKind#DL4J}. */
    public NetworkSettings {
        if (convolution == null) {
            convolution = ConvolutionKind.DL4J;
        }
    }

    /** Settings with bn4j's fast convolution. */
    public NetworkSettings(int height, int width, int channels, double widthMultiplier, Stem stem) {
        this(height, width, channels, widthMultiplier, stem, ConvolutionKind.FAST);
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

    /** The configuration {@link #build} initializes, for callers that adjust it first (e.g. the search's BN options). */
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
