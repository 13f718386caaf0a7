package org.bn4j.benchmarks.endtoend;

import org.bn4j.inception.net.BnInceptionBuilder;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Nesterovs;

/**
 * The example's default network, as {@code scripts/run-default.sh} trains it: BN-Inception on 28×28×1 images (small
 * stem), width 0.25, 10 classes, recipe {@code bn-x5} (Nesterov momentum, L2, per-iteration learning-rate decay for
 * the full Fashion-MNIST epoch of 938 batches of 64), seed 42; in one of the {@link Variant}s compared end to end.
 */
public final class DefaultNetwork {

    /** Input height and width. */
    public static final int SIZE = 28;
    /** Input channels. */
    public static final int CHANNELS = 1;
    /** Classes of Fashion-MNIST. */
    public static final int CLASSES = 10;
    /** Mini-batch size of the example. */
    public static final int BATCH = 64;
    /** Width multiplier of the example. */
    public static final double WIDTH = 0.25;
    /** Recipe of the example. */
    public static final String RECIPE = "bn-x5";
    /** Mini-batches per epoch of the full Fashion-MNIST training set (60,000 / 64, rounded up). */
    public static final int ITERATIONS_PER_EPOCH = 938;
    /** Seed of the weights. */
    public static final long SEED = 42;

    /** Which convolution and normalization layers the network uses. */
    public enum Variant {
        /** bn4j's FastConvolution (oneDNN) with bn4j's BatchNorm: what the example trains with. */
        FAST_CONV_BN4J,
        /** DL4J's ConvolutionLayer with bn4j's BatchNorm (applying the ReLU itself). */
        DL4J_CONV_BN4J,
        /** DL4J's ConvolutionLayer with DL4J's built-in BatchNormalization and a separate ReLU ActivationLayer. */
        DL4J_CONV_DL4J_BN
    }

    private DefaultNetwork() {
    }

    /** The builder the example uses for its default run, with the given convolution layer. */
    public static BnInceptionBuilder builder(ConvolutionKind convolution) {
        return builder(convolution, SIZE, CHANNELS, WIDTH);
    }

    /** The same builder for {@code size}×{@code size}×{@code channels} images and width multiplier {@code width}. */
    public static BnInceptionBuilder builder(ConvolutionKind convolution, int size, int channels, double width) {
        Recipe recipe = RecipeCatalog.bundled().get(RECIPE);
        BnInceptionBuilder builder = new BnInceptionBuilder()
                .input(size, size, channels)
                .numClasses(CLASSES)
                .widthMultiplier(width)
                .stem(Stem.AUTO)
                .seed(SEED)
                .convolution(convolution);
        return recipe.configure(builder, ITERATIONS_PER_EPOCH);
    }

    /** The configuration of {@code variant}. */
    public static ComputationGraphConfiguration configuration(Variant variant) {
        return switch (variant) {
            case FAST_CONV_BN4J -> builder(ConvolutionKind.FAST).buildConfiguration();
            case DL4J_CONV_BN4J -> builder(ConvolutionKind.DL4J).buildConfiguration();
            case DL4J_CONV_DL4J_BN -> BuiltInBatchNormGraph.rewrite(builder(ConvolutionKind.DL4J).buildConfiguration(),
                    InputType.convolutional(SIZE, SIZE, CHANNELS),
                    new NeuralNetConfiguration.Builder().seed(SEED).dataType(DataType.FLOAT)
                            .updater(new Nesterovs(0.0075, 0.9)));
        };
    }

    /** An initialized network of {@code variant}. */
    public static ComputationGraph build(Variant variant) {
        ComputationGraph network = new ComputationGraph(configuration(variant));
        network.init();
        return network;
    }
}
