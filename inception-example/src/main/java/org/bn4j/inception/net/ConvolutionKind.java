package org.bn4j.inception.net;

import org.bn4j.conv.FastConvolution;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/**
 * Which convolution layer the network is built with. Both have the same configuration options, parameters
 * ({@code W} as {@code [Cout, Cin, kH, kW]}) and results; a trained network converts between them with
 * {@code org.bn4j.conv.ConvolutionConversion}.
 */
public enum ConvolutionKind {
    /**
     * bn4j's {@link FastConvolution}: libnd4j's {@code conv2d}/{@code conv2d_bp} ops through oneDNN, forward once per
     * step (falls back to DL4J's own code where oneDNN is not available).
     */
    FAST,
    /** DL4J's {@link ConvolutionLayer} (im2col + GEMM; the backward pass recomputes the forward). */
    DL4J;

    /** A builder of this kind for a {@code kernel}×{@code kernel} convolution. */
    public ConvolutionLayer.Builder builder(int kernel) {
        return this == FAST ? new FastConvolution.Builder(kernel, kernel) : new ConvolutionLayer.Builder(kernel, kernel);
    }
}
