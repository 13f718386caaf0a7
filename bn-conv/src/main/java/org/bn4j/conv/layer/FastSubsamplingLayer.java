package org.bn4j.conv.layer;

import org.bn4j.conv.ConvolutionBackend;
import org.bn4j.conv.ConvolutionThreads;
import org.bn4j.conv.ops.Conv2dGeometry;
import org.bn4j.conv.ops.PoolingOps;
import org.deeplearning4j.exception.DL4JException;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

import java.util.Arrays;

/**
 * Runtime of {@link org.bn4j.conv.FastSubsampling}: DL4J's {@link SubsamplingLayer} with MAX and AVG pooling of
 * NCHW float arrays computed by {@link PoolingOps} when {@link ConvolutionBackend} selects
 * {@link ConvolutionBackend#OPS} and {@link PoolingOps#applies}, and by DL4J's inherited code otherwise (PNORM,
 * SUM, dilation, NHWC, DOUBLE, the DL4J backend).
 *
 * <p>Training step: {@link #activate} with {@code training = true} records, for max pooling, which window element
 * won each output (one byte per output, in an array this layer keeps and reuses from step to step); the backward
 * adds dL/dy at those elements. When the record is missing or stale (backward without a training forward, another
 * input) the backward recomputes the winners.
 *
 * <p>As in DL4J's layer: dropout is not applied, there are no parameters and no gradient, and a mask is passed on by
 * the inherited {@code feedForwardMaskArray}. Input is checked (rank 4, floating point, output size) before the
 * kernel runs; errors name the layer. With {@link ConvolutionThreads} above 1, the planes (example × channel) are
 * split over threads.
 */
public class FastSubsamplingLayer extends SubsamplingLayer {

    /** Winner of each output of the last training forward (MAX); grown as needed, reused. */
    private transient byte[] winners = new byte[0];
    /** The input the winners were recorded for, or null when there is no record. */
    private transient INDArray winnersForInput;

    /** The runtime for {@code conf} (whose layer is a FastSubsampling) computing in {@code dataType}. */
    public FastSubsamplingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Conv2dGeometry g = validatedGeometry();
        forget();
        if (!javaKernel(g)) {
            return super.activate(training, workspaceMgr);
        }
        INDArray x = contiguous(input.castTo(dataType), ArrayType.FF_WORKING_MEM, workspaceMgr);
        INDArray y = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                g.outputShape(x.size(0), x.size(1)), 'c');
        boolean record = training && layerConf().getPoolingType() == PoolingType.MAX;
        if (record && winners.length < y.length()) {
            winners = new byte[Math.toIntExact(y.length())];
        }
        try {
            PoolingOps.forward(x, layerConf().getPoolingType(), layerConf().isAvgPoolIncludePadInDivisor(), g, y,
                    record ? winners : null, threads());
        } catch (RuntimeException e) {
            throw new IllegalStateException("FastSubsampling " + layerId() + ": " + e.getMessage(), e);
        }
        if (record) {
            winnersForInput = input;
        }
        return y;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Conv2dGeometry g = validatedGeometry();
        long[] outputShape = g.outputShape(input.size(0), input.size(g.format() == CNN2DFormat.NCHW ? 1 : 3));
        if (!Arrays.equals(outputShape, epsilon.shape())) {
            throw new IllegalArgumentException("FastSubsampling " + layerId() + ": gradient of shape "
                    + Arrays.toString(epsilon.shape()) + " does not match the output shape "
                    + Arrays.toString(outputShape));
        }
        if (!javaKernel(g)) {
            forget();
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        byte[] record = winnersForInput != null && winnersForInput == input ? winners : null;
        forget();
        INDArray x = contiguous(input.castTo(dataType), ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray dy = contiguous(epsilon.castTo(dataType), ArrayType.BP_WORKING_MEM, workspaceMgr);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        try {
            PoolingOps.backward(x, dy, layerConf().getPoolingType(), layerConf().isAvgPoolIncludePadInDivisor(), g,
                    record, dx, threads());
        } catch (RuntimeException e) {
            throw new IllegalStateException("FastSubsampling " + layerId() + ": " + e.getMessage(), e);
        }
        return new Pair<>(new DefaultGradient(), dx);
    }

    @Override
    public void clear() {
        super.clear();
        forget();
    }

    /**
     * Whether a call with the current input computes through {@link PoolingOps} (the Java kernel applies and the
     * backend is the ops) rather than through DL4J's inherited code.
     */
    public boolean computesInJava() {
        return input != null && javaKernel(validatedGeometry());
    }

    private boolean javaKernel(Conv2dGeometry g) {
        // NOTE: not ConvolutionBackend.forLayer: its exceptions concern libnd4j's conv2d, not this Java kernel
        return PoolingOps.applies(layerConf().getPoolingType(), g, dataType)
                && ConvolutionBackend.current() == ConvolutionBackend.OPS;
    }

    private static int threads() {
        return ConvolutionThreads.current().threads();
    }

    /** Validates the input (rank, type, output size) and computes the pooling geometry for it. */
    private Conv2dGeometry validatedGeometry() {
        INDArray x = input;
        if (x.rank() != 4) {
            throw new IllegalArgumentException("FastSubsampling " + layerId() + ": got input of rank " + x.rank()
                    + " and shape " + Arrays.toString(x.shape()) + "; expected rank 4 "
                    + layerConf().getCnn2dDataFormat().dimensionNames());
        }
        if (!x.dataType().isFPType()) {
            throw new IllegalArgumentException("FastSubsampling " + layerId() + ": input data type "
                    + x.dataType() + " is not supported; give floating-point input (FLOAT or DOUBLE)");
        }
        try {
            return Conv2dGeometry.of(x, layerConf().getKernelSize(), layerConf().getStride(),
                    layerConf().getPadding(), layerConf().getDilation(), convolutionMode,
                    layerConf().getCnn2dDataFormat());
        } catch (DL4JException | IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("FastSubsampling " + layerId() + ": input of shape "
                    + Arrays.toString(x.shape()) + " does not fit the layer: " + e.getMessage(), e);
        }
    }

    private void forget() {
        winnersForInput = null;
    }

    /** {@code a} itself when it is a dense C-order array, else a C-order copy in working memory of {@code type}. */
    private static INDArray contiguous(INDArray a, ArrayType type, LayerWorkspaceMgr workspaceMgr) {
        // NOTE: as in FastConvolutionLayer: ND4J reports non-default strides for some dense arrays with a size-1
        // dimension, so a C-order array with element-wise stride 1 counts as dense too.
        if (a.ordering() == 'c' && (Shape.hasDefaultStridesForShape(a) || a.elementWiseStride() == 1)) {
            return a;
        }
        return workspaceMgr.dup(type, a, 'c');
    }
}
