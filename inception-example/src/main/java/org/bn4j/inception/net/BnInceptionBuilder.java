package org.bn4j.inception.net;

import org.bn4j.inception.UserError;
import org.bn4j.BatchNorm;
import org.bn4j.RenormSchedule;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the BN-Inception {@link ComputationGraph} of Ioffe &amp; Szegedy 2015 (§4.2, appendix Figure 5) and the
 * variants the paper compares it with.
 *
 * <p>Default network (batch-normalized): every convolution has no bias (BN's β takes its role) and is followed by a
 * bn4j {@link BatchNorm} layer that applies the nonlinearity after normalizing; no LRN, no dropout. Modules 3a–5b
 * follow {@link BnInceptionTable}; after 5b come global average pooling and a softmax classifier.
 *
 * <p>Convolutions are bn4j's oneDNN-backed {@code FastConvolution} by default, DL4J's {@code ConvolutionLayer} with
 * {@link #convolution(ConvolutionKind) convolution(DL4J)}; both have the same parameters. Pooling layers follow the
 * same choice: bn4j's {@code FastSubsampling} (Java pooling kernel) or DL4J's {@code SubsamplingLayer}.
 *
 * <p>Variants: {@link #batchNorm(boolean) batchNorm(false)} is the Inception baseline (convolutions with bias and the
 * activation, plus GoogLeNet's LRN in the stem and dropout before the classifier when set); {@link
 * #activation(Activation) activation(SIGMOID)} is the paper's BN-x5-Sigmoid. Channel counts are scaled by the
 * {@link #widthMultiplier(double) width multiplier} (rounded, at least 1).
 *
 * <p>Vertex names: {@code stem/conv1}, {@code 3a/1x1}, {@code 3a/3x3_reduce}, {@code 3a/3x3}, {@code
 * 3a/double3x3_reduce}, {@code 3a/double3x3a}, {@code 3a/double3x3b}, {@code 3a/pool}, {@code 3a/pool_proj}, {@code 3a}
 * (the concatenation); a convolution's normalization is {@code <conv>/bn}.
 */
public final class BnInceptionBuilder {

    /** Name of the network input. */
    public static final String INPUT = "input";
    /** Name of the softmax output layer. */
    public static final String OUTPUT = "output";

    private int height = 224;
    private int width = 224;
    private int channels = 3;
    private int numClasses = 1000;
    private double widthMultiplier = 1.0;
    private Stem stem = Stem.AUTO;
    private boolean batchNorm = true;
    private Activation activation = Activation.RELU;
    private boolean localResponseNorm = false;
    private double dropout = 0.0;
    private IUpdater updater = new Nesterovs(0.0015, 0.9);
    private double l2 = 0.0;
    private long seed = 42;
    private ConvolutionKind convolution = ConvolutionKind.FAST;
    private boolean batchRenorm = false;
    private RenormSchedule renormSchedule = RenormSchedule.paper();
    private int ghostBatchSize = 0;

    /** Input height, width and channels (1 or 3). Defaults to 224×224×3. */
    public BnInceptionBuilder input(int height, int width, int channels) {
        this.height = height;
        this.width = width;
        this.channels = channels;
        return this;
    }

    /** Number of classes of the softmax classifier. Defaults to 1000. */
    public BnInceptionBuilder numClasses(int numClasses) {
        this.numClasses = numClasses;
        return this;
    }

    /** Factor applied to every channel count of the paper's table. Defaults to 1. */
    public BnInceptionBuilder widthMultiplier(double widthMultiplier) {
        this.widthMultiplier = widthMultiplier;
        return this;
    }

    /** Which stem to put before module 3a. Defaults to {@link Stem#AUTO}. */
    public BnInceptionBuilder stem(Stem stem) {
        this.stem = stem;
        return this;
    }

    /** Batch-normalize every convolution (true) or build the Inception baseline (false). Defaults to true. */
    public BnInceptionBuilder batchNorm(boolean batchNorm) {
        this.batchNorm = batchNorm;
        return this;
    }

    /** Nonlinearity after every convolution (after its BN). Defaults to ReLU; the paper also tries sigmoid. */
    public BnInceptionBuilder activation(Activation activation) {
        this.activation = activation;
        return this;
    }

    /** GoogLeNet's local response normalization after the stem's first and third convolutions. Defaults to false. */
    public BnInceptionBuilder localResponseNorm(boolean localResponseNorm) {
        this.localResponseNorm = localResponseNorm;
        return this;
    }

    /** Probability of dropping a pooled feature before the classifier (GoogLeNet: 0.4). Defaults to 0 (none). */
    public BnInceptionBuilder dropout(double dropout) {
        this.dropout = dropout;
        return this;
    }

    /** Optimizer for all parameters. Defaults to Nesterov momentum 0.9, learning rate 0.0015. */
    public BnInceptionBuilder updater(IUpdater updater) {
        this.updater = updater;
        return this;
    }

    /** L2 weight decay on convolution and classifier weights (not on biases or BN parameters). Defaults to 0. */
    public BnInceptionBuilder l2(double l2) {
        this.l2 = l2;
        return this;
    }

    /**
     * Batch Renormalization (Ioffe 2017) in every BatchNorm layer, with the {@link #renormSchedule} of r_max/d_max.
     * Defaults to false.
     */
    public BnInceptionBuilder batchRenorm(boolean batchRenorm) {
        this.batchRenorm = batchRenorm;
        return this;
    }

    /** The r_max/d_max schedule of {@link #batchRenorm(boolean)}. Defaults to {@link RenormSchedule#paper()}. */
    public BnInceptionBuilder renormSchedule(RenormSchedule renormSchedule) {
        this.renormSchedule = Objects.requireNonNull(renormSchedule, "renormSchedule");
        return this;
    }

    /** Ghost batches of at most this many examples in every BatchNorm layer (0: none). Defaults to 0. */
    public BnInceptionBuilder ghostBatchSize(int ghostBatchSize) {
        this.ghostBatchSize = ghostBatchSize;
        return this;
    }

    /** Seed of the weight initialization. Defaults to 42. */
    public BnInceptionBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /**
     * Which convolution layer: bn4j's oneDNN-backed {@link ConvolutionKind#FAST FastConvolution} or DL4J's plain
     * {@link ConvolutionKind#DL4J ConvolutionLayer} (same parameters and results), with bn4j's FastSubsampling or
     * DL4J's SubsamplingLayer for the pooling layers. Defaults to FAST.
     */
    public BnInceptionBuilder convolution(ConvolutionKind convolution) {
        this.convolution = Objects.requireNonNull(convolution, "convolution");
        return this;
    }

    /** The stem actually used for the configured input size. */
    public Stem resolvedStem() {
        return stem.resolve(height, width);
    }

    /** The graph configuration; throws IllegalArgumentException for an invalid setting. */
    public ComputationGraphConfiguration buildConfiguration() {
        validate();
        GraphBuilder graph = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(updater)
                .l2(l2)
                .weightInit(activation == Activation.RELU ? WeightInit.RELU : WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(InputType.convolutional(height, width, channels));
        String last = resolvedStem() == Stem.SMALL ? smallStem(graph) : imagenetStem(graph);
        int depth = scaled(BnInceptionTable.STEM_OUTPUT_CHANNELS);
        for (InceptionModuleSpec module : BnInceptionTable.MODULES) {
            last = inceptionModule(graph, module, last, depth);
            depth = outputChannels(module, depth);
        }
        graph.addLayer("global_pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), last);
        OutputLayer.Builder classifier = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(numClasses)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER);
        if (dropout > 0) {
            classifier.dropOut(new Dropout(1.0 - dropout)); // DL4J takes the retain probability
        }
        graph.addLayer(OUTPUT, classifier.build(), "global_pool");
        return graph.setOutputs(OUTPUT).build();
    }

    /** An initialized network. */
    public ComputationGraph build() {
        ComputationGraph network = new ComputationGraph(buildConfiguration());
        network.init();
        return network;
    }

    /** Output channels of a module at this builder's width, given its (scaled) input channels. */
    public int outputChannels(InceptionModuleSpec module, int inputChannels) {
        int pool = module.poolProjection() > 0 ? scaled(module.poolProjection()) : inputChannels;
        return scaled(module.oneByOne()) + scaled(module.conv3x3()) + scaled(module.double3x3()) + pool;
    }

    /** A channel count of the paper's table at this builder's width: {@code max(1, round(c · width))}, 0 stays 0. */
    public int scaled(int channelsAtWidthOne) {
        if (channelsAtWidthOne == 0) {
            return 0;
        }
        return (int) Math.max(1, Math.round(channelsAtWidthOne * widthMultiplier));
    }

    private void validate() {
        if (channels != 1 && channels != 3) {
            throw new UserError("input channels must be 1 or 3, got " + channels);
        }
        if (numClasses < 2) {
            throw new UserError("need at least 2 classes, got " + numClasses);
        }
        if (!(widthMultiplier > 0) || widthMultiplier > 4) {
            throw new UserError("width multiplier must be in (0, 4], got " + widthMultiplier);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new UserError("dropout must be in [0, 1), got " + dropout);
        }
        Stem used = resolvedStem();
        if (Math.min(height, width) < used.minimumSize()) {
            throw new UserError("input " + height + "x" + width + " is too small for the " + used
                    + " stem (at least " + used.minimumSize() + " px)");
        }
    }

    /** The paper's stem: 7×7/2 conv, 3×3/2 max pool, 1×1 conv, 3×3 conv, 3×3/2 max pool (224 → 28 px). */
    private String imagenetStem(GraphBuilder graph) {
        String last = conv(graph, "stem/conv1", INPUT, 7, 2, scaled(64));
        last = pool(graph, "stem/pool1", last, PoolingType.MAX, 2);
        last = lrnIfEnabled(graph, "stem/lrn1", last);
        last = conv(graph, "stem/conv2_reduce", last, 1, 1, scaled(64));
        last = conv(graph, "stem/conv2", last, 3, 1, scaled(192));
        last = lrnIfEnabled(graph, "stem/lrn2", last);
        return pool(graph, "stem/pool2", last, PoolingType.MAX, 2);
    }

    /** The stem for small images: 3×3 conv, 1×1 conv, 3×3 conv, 3×3/2 max pool (28 → 14 px). */
    private String smallStem(GraphBuilder graph) {
        String last = conv(graph, "stem/conv1", INPUT, 3, 1, scaled(64));
        last = lrnIfEnabled(graph, "stem/lrn1", last);
        last = conv(graph, "stem/conv2_reduce", last, 1, 1, scaled(64));
        last = conv(graph, "stem/conv2", last, 3, 1, scaled(192));
        last = lrnIfEnabled(graph, "stem/lrn2", last);
        return pool(graph, "stem/pool2", last, PoolingType.MAX, 2);
    }

    private String inceptionModule(GraphBuilder graph, InceptionModuleSpec module, String input, int inputChannels) {
        String name = module.name();
        int stride = module.stride2() ? 2 : 1;
        List<String> branches = new ArrayList<>();
        if (module.oneByOne() > 0) {
            branches.add(conv(graph, name + "/1x1", input, 1, 1, scaled(module.oneByOne())));
        }
        String reduce = conv(graph, name + "/3x3_reduce", input, 1, 1, scaled(module.reduce3x3()));
        branches.add(conv(graph, name + "/3x3", reduce, 3, stride, scaled(module.conv3x3())));
        String doubleReduce = conv(graph, name + "/double3x3_reduce", input, 1, 1, scaled(module.reduceDouble3x3()));
        String doubleA = conv(graph, name + "/double3x3a", doubleReduce, 3, 1, scaled(module.double3x3()));
        branches.add(conv(graph, name + "/double3x3b", doubleA, 3, stride, scaled(module.double3x3())));
        String pooled = pool(graph, name + "/pool", input, module.pooling(), stride);
        if (module.poolProjection() > 0) {
            branches.add(conv(graph, name + "/pool_proj", pooled, 1, 1, scaled(module.poolProjection())));
        } else {
            branches.add(pooled);
        }
        graph.addVertex(name, new MergeVertex(), branches.toArray(new String[0]));
        return name;
    }

    /** A convolution followed by BN and the activation, or (baseline) a biased convolution with the activation. */
    private String conv(GraphBuilder graph, String name, String input, int kernel, int stride, int filters) {
        ConvolutionLayer.Builder convolution = this.convolution.builder(kernel)
                .stride(stride, stride)
                .nOut(filters);
        if (!batchNorm) {
            graph.addLayer(name, convolution.hasBias(true).activation(activation).build(), input);
            return name;
        }
        graph.addLayer(name, convolution.hasBias(false).activation(Activation.IDENTITY).build(), input);
        String bn = name + "/bn";
        graph.addLayer(bn, new BatchNorm.Builder().activation(activation).batchRenorm(batchRenorm)
                .renormSchedule(renormSchedule).ghostBatchSize(ghostBatchSize).build(), name);
        return bn;
    }

    /** A 3x3 pooling layer: bn4j's FastSubsampling with FAST convolutions, DL4J's SubsamplingLayer otherwise. */
    private String pool(GraphBuilder graph, String name, String input, PoolingType type, int stride) {
        graph.addLayer(name, convolution.poolingBuilder(type)
                .kernelSize(3, 3)
                .stride(stride, stride)
                .build(), input);
        return name;
    }

    private String lrnIfEnabled(GraphBuilder graph, String name, String input) {
        if (!localResponseNorm) {
            return input;
        }
        graph.addLayer(name, new LocalResponseNormalization.Builder().build(), input);
        return name;
    }
}
