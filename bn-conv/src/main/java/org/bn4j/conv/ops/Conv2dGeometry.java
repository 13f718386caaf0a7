package org.bn4j.conv.ops;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The shape arithmetic of one 2-d convolution call, computed exactly as DL4J's {@code ConvolutionLayer} computes it
 * ({@link ConvolutionUtils#getOutputSize} and {@link ConvolutionUtils#getSameModeTopLeftPadding}), so that the
 * libnd4j ops produce the same output size and the same padding as DL4J's own layer.
 *
 * <ul>
 *   <li>Truncate / Strict: {@code out = floor((in + 2·pad − ((k−1)·d + 1)) / s) + 1} with the configured padding on
 *       both sides (Strict additionally requires the division to be exact; DL4J's validation throws otherwise).</li>
 *   <li>Same: {@code out = ceil(in / s)}; the configured padding is ignored; the total padding
 *       {@code (out−1)·s + (k−1)·d + 1 − in} is split with the smaller half at the top/left, which is what
 *       libnd4j's SAME mode ({@code isSameMode = 1}) does too.</li>
 * </ul>
 *
 * @param kernel   kernel height and width
 * @param stride   stride height and width
 * @param padding  top/left padding (in Same mode: DL4J's computed top/left padding)
 * @param dilation dilation height and width
 * @param same     whether ConvolutionMode is Same
 * @param format   activation layout
 * @param outH     output height
 * @param outW     output width
 */
public record Conv2dGeometry(int[] kernel, int[] stride, int[] padding, int[] dilation, boolean same,
                             CNN2DFormat format, int outH, int outW) {

    /**
     * The geometry for {@code input} (rank 4, in {@code format}); throws DL4J's own exceptions
     * ({@code DL4JInvalidInputException}, {@code DL4JInvalidConfigException}) for a kernel larger than the padded
     * input in Truncate mode or a stride that does not divide exactly in Strict mode.
     */
    public static Conv2dGeometry of(INDArray input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                    ConvolutionMode mode, CNN2DFormat format) {
        boolean same = mode == ConvolutionMode.Same;
        int[] outSize = ConvolutionUtils.getOutputSize(input, kernel, stride, same ? null : padding, mode, dilation,
                format);
        int[] pad = padding;
        if (same) {
            int hDim = format == CNN2DFormat.NCHW ? 2 : 1;
            int[] inSize = {(int) input.size(hDim), (int) input.size(hDim + 1)};
            pad = ConvolutionUtils.getSameModeTopLeftPadding(outSize, inSize, kernel, stride, dilation);
        }
        return new Conv2dGeometry(kernel.clone(), stride.clone(), pad.clone(), dilation.clone(), same, format,
                outSize[0], outSize[1]);
    }

    /** The output shape for {@code miniBatch} examples and {@code channelsOut} channels, in {@link #format()}. */
    public long[] outputShape(long miniBatch, long channelsOut) {
        return format == CNN2DFormat.NCHW ? new long[] {miniBatch, channelsOut, outH, outW}
                : new long[] {miniBatch, outH, outW, channelsOut};
    }

    /** The forward's multiply-adds per example, {@code outH·outW·Cout·Cin·kH·kW}. */
    public long multiplyAddsPerExample(long channelsIn, long channelsOut) {
        return (long) outH * outW * channelsOut * channelsIn * kernel[0] * kernel[1];
    }

    /**
     * The integer arguments of libnd4j's {@code conv2d} and {@code conv2d_bp}: kH, kW, sH, sW, pH, pW, dH, dW,
     * isSameMode, dataFormat (0 NCHW, 1 NHWC), wFormat (1: weights {@code [Cout, Cin, kH, kW]}, DL4J's layout).
     */
    int[] opArguments() {
        return new int[] {kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0],
                dilation[1], same ? 1 : 0, format == CNN2DFormat.NCHW ? 0 : 1, 1};
    }
}
