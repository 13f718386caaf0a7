package org.bn4j.conv.ops;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The padded-plane layout of one {@link DirectConvOps} call (stride 1, NCHW), all sizes as ints.
 *
 * <p>Input channel {@code ci} of an example is copied into a zero-padded plane of {@code Hp × Wp} values at
 * {@code ci·plane}, {@code Hp = OH + (kH−1)·dH}, {@code Wp = OW + (kW−1)·dW}, input pixel {@code (ih, iw)} at row
 * {@code ih + padTop}, column {@code iw + padLeft} (pixels that fall outside, which Truncate mode drops, are not
 * copied). Outputs and dL/dy use the same row stride {@code Wp}: output pixel {@code (oh, ow)} is at
 * {@code oh·Wp + ow}, and the last {@code Wp − OW} values of each row are scratch. dL/dy planes are
 * {@code gPlane} values apart and start after {@code front} zeros, so that shifted reads before a row's start
 * read zeros. Plane loops run over {@code span} values (outputs) or {@code inSpan} values (padded input), rounded up
 * to whole vectors; {@code plane} and {@code gPlane} leave room for those rounded reads.
 */
final class DirectConvPlanes {

    final int n;
    final int cIn;
    final int cOut;
    final int inH;
    final int inW;
    final int inPlane;
    final int outH;
    final int outW;
    final int outPlane;
    final int padTop;
    final int padLeft;
    final int wp;
    final int hp;
    final int plane;
    final int span;
    final int inSpan;
    final int front;
    final int gPlane;
    /** The input columns that land inside the padded plane: {@code [colFirst, colFirst + colLength)}. */
    final int colFirst;
    final int colLength;
    /** {@code s_t = ci·plane + kh·dH·Wp + kw·dW} for every tap {@code t = (ci, kh, kw)} in weight order. */
    final int[] shifts;
    /** {@code s'_t = kh·dH·Wp + kw·dW} for the {@code kH·kW} taps of one channel. */
    final int[] planeShifts;
    /**
     * The vectors that cover one output plane, row by row: vector {@code k} starts at padded index
     * {@code paddedAt[k] = oh·Wp + ow} and dense index {@code denseAt[k] = oh·OW + ow}; the first
     * {@code fullVectors} lie inside their row, the others are a row's last, partial vector.
     */
    final int vectors;
    final int fullVectors;
    final int[] paddedAt;
    final int[] denseAt;

    DirectConvPlanes(INDArray x, INDArray w, Conv2dGeometry g, int vectorLength) {
        if (x.rank() != 4 || w.rank() != 4 || x.size(1) != w.size(1)) {
            throw new IllegalArgumentException("DirectConvOps: input " + Arrays.toString(x.shape())
                    + " does not match weights " + Arrays.toString(w.shape()));
        }
        n = Math.toIntExact(x.size(0));
        cIn = Math.toIntExact(x.size(1));
        inH = Math.toIntExact(x.size(2));
        inW = Math.toIntExact(x.size(3));
        inPlane = Math.multiplyExact(inH, inW);
        cOut = Math.toIntExact(w.size(0));
        int kH = Math.toIntExact(w.size(2));
        int kW = Math.toIntExact(w.size(3));
        int dH = g.dilation()[0];
        int dW = g.dilation()[1];
        padTop = g.padding()[0];
        padLeft = g.padding()[1];
        outH = g.outH();
        outW = g.outW();
        outPlane = Math.multiplyExact(outH, outW);
        hp = outH + (kH - 1) * dH;
        wp = outW + (kW - 1) * dW;
        int v = vectorLength;
        span = roundUp((outH - 1) * wp + outW, v);
        inSpan = roundUp(Math.multiplyExact(hp, wp), 2 * v);
        // a shifted read reaches s_t + span ≤ (ci + 1)·plane − v, and inSpan ≤ plane
        plane = hp * wp + 2 * v;
        int reach = (kH - 1) * dH * wp + (kW - 1) * dW;
        front = roundUp(reach, v);
        gPlane = front + Math.max(span, inSpan);
        colFirst = Math.max(0, -padLeft);
        colLength = Math.max(0, Math.min(inW, wp - padLeft) - colFirst);
        planeShifts = new int[kH * kW];
        for (int kh = 0; kh < kH; kh++) {
            for (int kw = 0; kw < kW; kw++) {
                planeShifts[kh * kW + kw] = kh * dH * wp + kw * dW;
            }
        }
        shifts = new int[cIn * planeShifts.length];
        for (int ci = 0; ci < cIn; ci++) {
            for (int k = 0; k < planeShifts.length; k++) {
                shifts[ci * planeShifts.length + k] = ci * plane + planeShifts[k];
            }
        }
        Math.multiplyExact(Math.max(cIn, cOut), Math.max(plane, gPlane));     // every buffer fits a Java array
        int perRow = (outW + v - 1) / v;
        int fullPerRow = outW / v;
        vectors = outH * perRow;
        fullVectors = outH * fullPerRow;
        paddedAt = new int[vectors];
        denseAt = new int[vectors];
        int tail = fullVectors;
        for (int oh = 0; oh < outH; oh++) {
            for (int r = 0; r < perRow; r++) {
                int k = r < fullPerRow ? oh * fullPerRow + r : tail++;
                paddedAt[k] = oh * wp + r * v;
                denseAt[k] = oh * outW + r * v;
            }
        }
    }

    /** The padded row of input row {@code ih}, or −1 when the padded plane does not contain it. */
    int paddedRow(int ih) {
        int ph = ih + padTop;
        return ph >= 0 && ph < hp && colLength > 0 ? ph : -1;
    }

    private static int roundUp(int value, int multiple) {
        return Math.addExact(value, multiple - 1) / multiple * multiple;
    }
}
