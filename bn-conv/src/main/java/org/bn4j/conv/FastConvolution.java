package org.bn4j.conv;

import org.bn4j.conv.layer.FastConvolutionLayer;
import org.bn4j.deploy.Dl4jEquivalentLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * A 2-d convolution layer configuration for DL4J that trains through libnd4j's {@code conv2d} / {@code conv2d_bp}
 * ops (oneDNN on CPU when {@code nd4j-native:linux-x86_64-onednn} is on the class path): the forward runs once per
 * step and the backward reuses it instead of recomputing it.
 *
 * <p>It <em>is</em> a DL4J {@link ConvolutionLayer} configuration (a subclass with no field of its own): same
 * builder options (kernel, stride, padding, dilation, {@code ConvolutionMode} Same/Truncate/Strict, hasBias,
 * activation, nIn/nOut, dataFormat NCHW/NHWC, weight init, updaters, dropout, regularization), same parameters
 * ({@code "W"} {@code [Cout, Cin, kH, kW]}, {@code "b"} {@code [Cout]}, DL4J's {@code ConvolutionParamInitializer}),
 * same output types and JSON fields. Only the runtime layer differs ({@link FastConvolutionLayer}); where the ops
 * are not available or not wanted it computes through DL4J's own code (see {@link ConvolutionBackend}).
 * {@link ConvolutionConversion} converts configurations and trained networks in both directions.
 *
 * <pre>{@code
 * .layer(new FastConvolution.Builder(3, 3).nOut(32).stride(1, 1).convolutionMode(ConvolutionMode.Same)
 *         .activation(Activation.RELU).build())
 * }</pre>
 *
 * <p>For deployment, {@code BatchNormFolding.fold} (bn-layer) replaces it by DL4J's ConvolutionLayer
 * ({@link Dl4jEquivalentLayer}) and folds the batch normalization that follows it, in one call.
 *
 * <p>Network data types FLOAT and DOUBLE are supported (oneDNN computes float32; double runs libnd4j's own
 * implementation of the same ops); other types are rejected when the network is initialized.
 */
public class FastConvolution extends ConvolutionLayer implements Dl4jEquivalentLayer {

    /** For JSON deserialization. */
    public FastConvolution() {
    }

    protected FastConvolution(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        LayerValidation.assertNInNOutSet("FastConvolution", getLayerName(), layerIndex, getNIn(), getNOut());
        if (networkDataType != DataType.FLOAT && networkDataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("FastConvolution layer (name \"" + getLayerName() + "\", index "
                    + layerIndex + "): network data type " + networkDataType
                    + " is not supported; use FLOAT or DOUBLE (or DL4J's ConvolutionLayer)");
        }
        FastConvolutionLayer ret = new FastConvolutionLayer(conf, networkDataType);
        ret.setListeners(trainingListeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    /** DL4J's ConvolutionLayer with every setting of this layer (same parameters). */
    @Override
    public ConvolutionLayer toDl4jLayer() {
        return (ConvolutionLayer) ConvolutionConversion.toDl4jLayer(this);
    }

    @Override
    public FastConvolution clone() {
        return (FastConvolution) super.clone();
    }

    /** Equal to another FastConvolution with the same settings; never equal to a plain ConvolutionLayer. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FastConvolution && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + FastConvolution.class.hashCode();
    }

    /** Lombok's equality hook of the superclass: keeps {@code ConvolutionLayer.equals(FastConvolution)} false. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FastConvolution;
    }

    /**
     * Builder with exactly the options of DL4J's {@link ConvolutionLayer.Builder} and the same defaults (kernel
     * 5×5, stride 1×1, padding 0×0, dilation 1×1, ConvolutionMode from the network (Truncate when unset), bias on,
     * data format NCHW or from the input type). Because DL4J's fluent setters are declared on
     * {@code ConvolutionLayer.Builder}, a chained {@code build()} is typed {@code ConvolutionLayer}; the object is a
     * {@code FastConvolution}.
     */
    public static class Builder extends ConvolutionLayer.Builder {

        /** Kernel, stride and padding (height, width). */
        public Builder(int[] kernelSize, int[] stride, int[] padding) {
            super(kernelSize, stride, padding);
        }

        /** Kernel and stride (height, width); padding defaults to 0. */
        public Builder(int[] kernelSize, int[] stride) {
            super(kernelSize, stride);
        }

        /** Kernel (height, width); stride defaults to 1, padding to 0. */
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        /** Kernel defaults to 5×5, stride to 1, padding to 0. */
        public Builder() {
            super();
        }

        @Override
        public FastConvolution build() {
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new FastConvolution(this);
        }
    }
}
