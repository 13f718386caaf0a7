package org.bn4j.conv;

import org.bn4j.conv.layer.FastSubsamplingLayer;
import org.bn4j.deploy.Dl4jEquivalentLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Collection;
import java.util.Map;

/**
 * A 2-d pooling layer configuration for DL4J whose MAX and AVG pooling train through bn4j's Java kernel
 * ({@link org.bn4j.conv.ops.PoolingOps}): no layout reorders, and a max-pooling backward that scatters dL/dy to the
 * winners the forward recorded instead of recomputing the forward.
 *
 * <p>It <em>is</em> a DL4J {@link SubsamplingLayer} configuration (a subclass with no field of its own), so that
 * DL4J's shape inference, input pre-processors, JSON, memory reports and graph handling apply unchanged: same
 * builder options (kernel, stride, padding, {@code ConvolutionMode} Same/Truncate/Strict, pooling type,
 * {@code avgPoolIncludePadInDivisor}, dilation, data format, p-norm), same defaults, same output types. Only the
 * runtime layer differs ({@link FastSubsamplingLayer}). It computes exactly what DL4J's layer computes; where the
 * Java kernel does not apply (PNORM / SUM pooling, dilation other than 1, NHWC, DOUBLE, windows of more than 256
 * elements, a backend other than {@link ConvolutionBackend#OPS}) the layer computes through DL4J's inherited code.
 * {@link ConvolutionConversion} converts configurations and trained networks in both directions.
 *
 * <pre>{@code
 * .layer(new FastSubsampling.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2)
 *         .convolutionMode(ConvolutionMode.Same).build())
 * }</pre>
 *
 * <p>As in DL4J's layer, dropout configured on it is not applied, and a mask is passed on (reduced to the output
 * size) without changing the pooled values.
 */
public class FastSubsampling extends SubsamplingLayer implements Dl4jEquivalentLayer {

    /**
     * The system property that makes {@link ConvolutionConversion#toFastLayer} convert pooling layers too:
     * {@code -Dbn4j.conv.pooling=fast}. Off by default: on the example's network on AVX-512 (rows of 14 and 7 pixels,
     * narrower than a 16-lane vector, take the scalar loop) its training step measured slower with FastSubsampling
     * than with DL4J's SubsamplingLayer (docs/convolution.md); an opt-in until the kernel handles narrow rows.
     */
    public static final String PROPERTY = "bn4j.conv.pooling";

    /** Whether conversion replaces DL4J's pooling layers by this one ({@code -Dbn4j.conv.pooling=fast}). */
    public static boolean enabled() {
        return "fast".equalsIgnoreCase(System.getProperty(PROPERTY, "dl4j").trim());
    }

    /** For JSON deserialization. */
    public FastSubsampling() {
    }

    protected FastSubsampling(Builder builder) {
        super(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        if (getKernelSize() == null || getStride() == null || getPadding() == null) {
            throw new IllegalStateException("FastSubsampling layer (name \"" + getLayerName() + "\", index "
                    + layerIndex + "): kernel size, stride and padding must be set");
        }
        FastSubsamplingLayer ret = new FastSubsamplingLayer(conf, networkDataType);
        ret.setListeners(trainingListeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        ret.setParamTable(paramTable);
        ret.setConf(conf);
        return ret;
    }

    /**
     * Whether {@link ConvolutionConversion} turns a DL4J SubsamplingLayer with these settings into a FastSubsampling:
     * MAX or AVG pooling, dilation 1, NCHW (the settings the Java kernel computes for float networks).
     */
    public static boolean supports(SubsamplingLayer conf) {
        int[] d = conf.getDilation();
        org.deeplearning4j.nn.conf.layers.PoolingType type = conf.getPoolingType();
        return (type == org.deeplearning4j.nn.conf.layers.PoolingType.MAX
                || type == org.deeplearning4j.nn.conf.layers.PoolingType.AVG)
                && (d == null || (d[0] == 1 && d[1] == 1))
                && conf.getCnn2dDataFormat() == org.deeplearning4j.nn.conf.CNN2DFormat.NCHW;
    }

    /** DL4J's SubsamplingLayer with every setting of this layer. */
    @Override
    public SubsamplingLayer toDl4jLayer() {
        return (SubsamplingLayer) ConvolutionConversion.toDl4jLayer(this);
    }

    @Override
    public FastSubsampling clone() {
        return (FastSubsampling) super.clone();
    }

    /** Equal to another FastSubsampling with the same settings; never equal to a plain SubsamplingLayer. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FastSubsampling && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + FastSubsampling.class.hashCode();
    }

    /** Lombok's equality hook of the superclass: keeps {@code SubsamplingLayer.equals(FastSubsampling)} false. */
    @Override
    protected boolean canEqual(Object other) {
        return other instanceof FastSubsampling;
    }

    /**
     * Builder with exactly the options of DL4J's {@link SubsamplingLayer.Builder} and the same defaults (pooling
     * MAX, kernel 1×1, stride 2×2, padding 0×0, dilation 1×1, ConvolutionMode from the network (Truncate when
     * unset), {@code avgPoolIncludePadInDivisor} false, data format NCHW or from the input type). DL4J's fluent
     * setters return {@code SubsamplingLayer.Builder}; {@code build()} still makes a {@code FastSubsampling}.
     */
    public static class Builder extends SubsamplingLayer.Builder {

        /** Pooling type, kernel and stride (height, width); padding defaults to 0. */
        public Builder(org.deeplearning4j.nn.conf.layers.PoolingType poolingType, int[] kernelSize, int[] stride) {
            super(poolingType, kernelSize, stride, new int[] {0, 0});
        }

        /** Pooling type and kernel (height, width). */
        public Builder(org.deeplearning4j.nn.conf.layers.PoolingType poolingType, int[] kernelSize) {
            super(poolingType, kernelSize);
        }

        /** Pooling type, kernel, stride and padding (height, width). */
        public Builder(org.deeplearning4j.nn.conf.layers.PoolingType poolingType, int[] kernelSize, int[] stride,
                       int[] padding) {
            super(poolingType, kernelSize, stride, padding);
        }

        /** Pooling type; kernel, stride and padding take DL4J's defaults. */
        public Builder(org.deeplearning4j.nn.conf.layers.PoolingType poolingType) {
            super(poolingType);
        }

        /** Kernel (height, width), MAX pooling. */
        public Builder(int... kernelSize) {
            super(kernelSize);
        }

        /** MAX pooling with DL4J's default kernel, stride and padding. */
        public Builder() {
            super();
        }

        @Override
        public FastSubsampling build() {
            if (poolingType == org.deeplearning4j.nn.conf.layers.PoolingType.PNORM && pnorm <= 0) {
                throw new IllegalStateException(
                        "Incorrect Subsampling config: p-norm must be set when using PoolingType.PNORM");
            }
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            ConvolutionUtils.validateCnnKernelStridePadding(kernelSize, stride, padding);
            return new FastSubsampling(this);
        }
    }
}
