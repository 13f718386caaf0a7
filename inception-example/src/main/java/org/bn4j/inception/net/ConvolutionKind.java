package org.bn4j.inception.net;

import org.bn4j.conv.FastConvolution;
import org.bn4j.conv.FastSubsampling;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * Which convolution layer the network is built with. Both have the same configuration options, parameters
 * ({@code W} as {@code [Cout, Cin, kH, kW]}) and results; a trained network converts between them with
 * {@code org.bn4j.conv.ConvolutionConversion}.
 */
public enum ConvolutionKind {
    /**
     * bn4j's {@link FastConvolution}: libnd4j's {@code conv2d}/{@code conv2d_bp} ops through oneDNN, forward once per
     * step (falls back to DL4J's own code where oneDNN is not available); pooling is DL4J's, or with
     * {@code -Dbn4j.conv.pooling=fast} bn4j's {@link FastSubsampling} (a Java kernel; max pooling's backward without
     * recomputing the forward).
     */
    FAST,
    /**
     * DL4J's {@link ConvolutionLayer} (im2col + GEMM; the backward pass recomputes the forward) and DL4J's
     * {@link SubsamplingLayer}.
     */
    DL4J;

    /** A builder of this kind for a {@code kernel}×{@code kernel} convolution. */
    public ConvolutionLayer.Builder builder(int kernel) {
        return this == FAST ? new FastConvolution.Builder(kernel, kernel) : new ConvolutionLayer.Builder(kernel, kernel);
    }

    /**
     * A pooling builder of this kind: DL4J's SubsamplingLayer, or bn4j's FastSubsampling for FAST with
     * {@code -Dbn4j.conv.pooling=fast} (an opt-in: see {@link FastSubsampling#PROPERTY}).
     */
    public SubsamplingLayer.Builder poolingBuilder(PoolingType type) {
        return this == FAST && FastSubsampling.enabled() ? new FastSubsampling.Builder(type)
                : new SubsamplingLayer.Builder(type);
    }
}
