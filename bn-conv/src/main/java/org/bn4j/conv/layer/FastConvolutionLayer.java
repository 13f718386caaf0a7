package org.bn4j.conv.layer;

import org.bn4j.conv.ConvolutionBackend;
import org.bn4j.conv.ConvolutionThreads;
import org.bn4j.conv.ops.BatchSplit;
import org.bn4j.conv.ops.Conv2dGeometry;
import org.bn4j.conv.ops.Conv2dKernel;
import org.bn4j.conv.ops.Conv2dOps;
import org.deeplearning4j.exception.DL4JException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

import java.util.Arrays;

/**
 * Runtime of {@link org.bn4j.conv.FastConvolution}: DL4J's {@link ConvolutionLayer} with forward and backward
 * computed by libnd4j's {@code conv2d} / {@code conv2d_bp} ops ({@link Conv2dOps}) — or, for a 1x1 stride-1 unpadded
 * NHWC convolution, by BLAS gemms ({@link org.bn4j.conv.ops.NhwcPointwiseGemmOps}), as {@link Conv2dKernel#select} decides per
 * call — when {@link ConvolutionBackend} selects {@link ConvolutionBackend#OPS}, and by DL4J's inherited code
 * otherwise.
 *
 * <p>Training step: {@link #activate} computes the pre-activation {@code z = conv(x, W) + b} once, keeps it (in the
 * ACTIVATIONS workspace, which {@code fit()} keeps open until the backward pass is done; not kept for the identity
 * activation, whose backward does not need it) and returns {@code σ(z)}. {@link #backpropGradient} turns
 * {@code dL/dσ} into {@code dL/dz} with the activation's own {@code backprop} and calls {@code conv2d_bp}, writing
 * dL/dW and dL/db straight into the layer's gradient views. When the kept {@code z} is missing or stale (backward
 * without a training forward, another input, a closed workspace) it is recomputed. Dropout on the input, weight
 * noise, masks (passed through, reduced as DL4J does) and workspaces behave as in DL4J's layer.
 *
 * <p>Input is checked before native code is reached: rank 4, channel count, a floating-point type, and the output
 * size (DL4J's own checks for Truncate / Strict); errors name the layer.
 *
 * <p>On the ops path the batch may be split over threads ({@link ConvolutionThreads}, {@link BatchSplit}): outputs,
 * dL/dx and the scratch for the slices' dL/dW, dL/db are allocated here, on the calling thread, in this layer's
 * workspaces (ACTIVATIONS, ACTIVATION_GRAD, BP_WORKING_MEM); a failure in any slice is rethrown naming the layer.
 */
public class FastConvolutionLayer extends ConvolutionLayer {

    private static final String W = ConvolutionParamInitializer.WEIGHT_KEY;
    private static final String B = ConvolutionParamInitializer.BIAS_KEY;

    /** Pre-activation kept from the last training forward (null for the identity activation). */
    private transient INDArray keptPreActivation;
    /** The input the kept forward was computed from (identity, after dropout). */
    private transient INDArray keptForInput;

    /** The runtime for {@code conf} (whose layer is a FastConvolution) computing in {@code dataType}. */
    public FastConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (input == null) {
            throw new IllegalStateException("FastConvolution " + layerId() + ": forward pass without input");
        }
        Conv2dGeometry g = validatedGeometry(getParam(W));   // the same clear errors whichever code runs
        if (backend(training) != ConvolutionBackend.OPS) {
            forget();
            return super.activate(training, workspaceMgr);
        }
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = preActivation(training, g, workspaceMgr);
        IActivation afn = layerConf().getActivationFn();
        forget();
        if (afn instanceof ActivationIdentity) {
            if (training) {
                keptForInput = input;
            }
            return z;
        }
        INDArray a = z;
        if (training) {
            keptPreActivation = z;
            keptForInput = input;
            a = workspaceMgr.dup(ArrayType.ACTIVATIONS, z);
        }
        return afn.getActivation(a, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (input == null) {
            throw new IllegalStateException("FastConvolution " + layerId()
                    + ": backpropGradient without input; call setInput and activate(true) first");
        }
        Conv2dGeometry g = validatedGeometry(getParam(W));
        long[] outputShape = g.outputShape(input.size(0), getParam(W).size(0));
        if (!Arrays.equals(outputShape, epsilon.shape())) {
            throw new IllegalArgumentException("FastConvolution " + layerId() + ": gradient of shape "
                    + Arrays.toString(epsilon.shape()) + " does not match the output shape "
                    + Arrays.toString(outputShape));
        }
        if (backend(true) != ConvolutionBackend.OPS) {
            forget();
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray weights = getParamWithNoise(W, true, workspaceMgr);
        INDArray bias = hasBias() ? getParamWithNoise(B, true, workspaceMgr) : null;
        INDArray x = contiguous(input.castTo(dataType), ArrayType.BP_WORKING_MEM, workspaceMgr);

        IActivation afn = layerConf().getActivationFn();
        INDArray delta = epsilon.castTo(dataType);
        if (!(afn instanceof ActivationIdentity)) {
            INDArray z = keptFresh() && keptPreActivation != null ? keptPreActivation
                    : preActivation(true, g, workspaceMgr);
            delta = afn.backprop(z, delta).getFirst();
        }
        delta = contiguous(delta, ArrayType.BP_WORKING_MEM, workspaceMgr);
        forget();

        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        INDArray dW = gradientViews.get(W);
        INDArray db = hasBias() ? gradientViews.get(B) : null;
        Conv2dKernel kernel = Conv2dKernel.select(g, weights.size(1), dataType);
        BatchSplit split = kernel == Conv2dKernel.CONV2D_OPS ? split(x, weights, g) : new BatchSplit(x.size(0), 1);
        INDArray dwScratch = null;
        INDArray dbScratch = null;
        if (split.isSplit()) {
            long[] wShape = weights.shape();
            dwScratch = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                    new long[] {split.slices() - 1, wShape[0], wShape[1], wShape[2], wShape[3]}, 'c');
            dbScratch = hasBias() ? workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                    new long[] {split.slices() - 1, wShape[0]}, 'c') : null;
        }
        try {
            if (split.isSplit()) {
                Conv2dOps.backward(x, weights, bias, delta, g, dx, dW, db, split, dwScratch, dbScratch);
            } else {
                kernel.backward(x, weights, bias, delta, g, dx, dW, db);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("FastConvolution " + layerId() + ": " + e.getMessage(), e);
        }
        return gradientResult(dW, db, dx);
    }

    /** DL4J's result of a backward pass: the gradient views (bias first, as DL4J orders them) and dL/dx. */
    private Pair<Gradient, INDArray> gradientResult(INDArray dW, INDArray db, INDArray dx) {
        Gradient gradient = new DefaultGradient();
        if (hasBias()) {
            gradient.setGradientFor(B, db);
        }
        gradient.setGradientFor(W, dW, 'c');
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(dx));
    }

    @Override
    public void clear() {
        super.clear();
        forget();
    }

    /** {@code z = conv2d(x, W) + b} into a new ACTIVATIONS array, for the input's (validated) geometry {@code g}. */
    private INDArray preActivation(boolean training, Conv2dGeometry g, LayerWorkspaceMgr workspaceMgr) {
        INDArray weights = getParamWithNoise(W, training, workspaceMgr);
        INDArray bias = hasBias() ? getParamWithNoise(B, training, workspaceMgr) : null;
        INDArray x = contiguous(input.castTo(dataType), ArrayType.FF_WORKING_MEM, workspaceMgr);
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                g.outputShape(x.size(0), weights.size(0)), 'c');
        Conv2dKernel kernel = Conv2dKernel.select(g, weights.size(1), dataType);
        try {
            BatchSplit split = kernel == Conv2dKernel.CONV2D_OPS ? split(x, weights, g) : new BatchSplit(x.size(0), 1);
            if (split.isSplit()) {
                Conv2dOps.forward(x, weights, bias, g, z, split);
            } else {
                kernel.forward(x, weights, bias, g, z);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("FastConvolution " + layerId() + ": " + e.getMessage(), e);
        }
        return z;
    }

    /** How this call's batch is split over threads ({@link ConvolutionThreads}). */
    private static BatchSplit split(INDArray x, INDArray weights, Conv2dGeometry g) {
        ConvolutionThreads.Decision d = ConvolutionThreads.current();
        return BatchSplit.plan(x.size(0), d.threads(), d.automatic(),
                g.multiplyAddsPerExample(weights.size(1), weights.size(0)));
    }

    /** Validates the input (rank, type, channels, output size) and computes the op's geometry for it. */
    private Conv2dGeometry validatedGeometry(INDArray weights) {
        INDArray x = input;
        validateInputRank();
        if (!input.dataType().isFPType()) {
            throw new IllegalArgumentException("FastConvolution " + layerId() + ": input data type "
                    + input.dataType() + " is not supported; give floating-point input (FLOAT or DOUBLE)");
        }
        validateInputDepth(weights.size(1));
        try {
            return Conv2dGeometry.of(x, layerConf().getKernelSize(), layerConf().getStride(),
                    layerConf().getPadding(), layerConf().getDilation(), convolutionMode,
                    layerConf().getCnn2dDataFormat());
        } catch (DL4JException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("FastConvolution " + layerId() + ": input of shape "
                    + Arrays.toString(x.shape()) + " does not fit the layer: " + e.getMessage(), e);
        }
    }

    /**
     * The code that computes this layer now (see {@link ConvolutionBackend#forLayer}).
     *
     * @param training for a training step (forward in training mode and backward) or for inference
     */
    public ConvolutionBackend backend(boolean training) {
        return ConvolutionBackend.forLayer(layerConf().getDilation(), dataType, training);
    }

    private boolean keptFresh() {
        return keptForInput != null && keptForInput == input
                && (keptPreActivation == null || !keptPreActivation.wasClosed());
    }

    private void forget() {
        keptPreActivation = null;
        keptForInput = null;
    }

    /** {@code a} itself when it is a dense C-order array, else a C-order copy in working memory of {@code type}. */
    private static INDArray contiguous(INDArray a, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        // NOTE: ND4J reports non-default strides for some dense arrays with a dimension of size 1 ([64, 1, 32, 32]),
        // so a C-order array with element-wise stride 1 counts as dense too.
        if (a.ordering() == 'c' && (Shape.hasDefaultStridesForShape(a) || a.elementWiseStride() == 1)) {
            return a;
        }
        return workspaceMgr.dup(type, a, 'c');
    }
}
