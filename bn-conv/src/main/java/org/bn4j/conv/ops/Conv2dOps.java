package org.bn4j.conv.ops;

import org.bn4j.internal.TaskPool;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Stateless calls of libnd4j's {@code conv2d} and {@code conv2d_bp} custom ops with DL4J's weight layout
 * ({@code wFormat = 1}: W {@code [Cout, Cin, kH, kW]}, bias {@code [Cout]}).
 *
 * <p>Forward: {@code y[n,o,i,j] = b[o] + Σ_{c,p,q} W[o,c,p,q] · x[n, c, i·sH − pH + p·dH, j·sW − pW + q·dW]} (NCHW
 * indices; NHWC is the same map on the permuted layout). Backward, for the upstream gradient {@code g = dL/dy}:
 * {@code dL/dx} (the transposed convolution of g with W), {@code dL/dW[o,c,p,q] = Σ_{n,i,j} g[n,o,i,j] ·
 * x[n,c,i·sH−pH+p·dH, j·sW−pW+q·dW]} and {@code dL/db[o] = Σ_{n,i,j} g[n,o,i,j]}.
 *
 * <p>Every output is written into an array given by the caller (so that it lives in the caller's workspace or is a
 * gradient view); the ops overwrite their outputs. When libnd4j is built with oneDNN, float32 runs through oneDNN's
 * convolution primitives; other types (double) run libnd4j's own im2col + gemm implementation.
 *
 * <p>Batch split ({@link BatchSplit}): the forward is computed slice by slice, {@code y[a:b] = conv2d(x[a:b], W) + b},
 * and the backward gives {@code dL/dx[a:b]} per slice and {@code dL/dW = Σ_slices dL/dW_slice},
 * {@code dL/db = Σ_slices dL/db_slice} (the sums over {@code n} in the formulas above, taken slice by slice; the
 * first slice writes into {@code dw}/{@code db}, the others into caller-provided scratch, added in slice order, so the
 * result does not depend on which thread ran which slice). Slices run in parallel on {@link TaskPool}; every view
 * and output is created by the calling thread (ND4J workspaces are thread-local: a worker must not allocate arrays),
 * the workers only execute ops on them.
 */
public final class Conv2dOps {

    private Conv2dOps() {
    }

    /**
     * {@code y = conv2d(x, W) + b}.
     *
     * @param x    input, rank 4 in the geometry's format
     * @param w    weights {@code [Cout, Cin, kH, kW]}
     * @param bias bias of length Cout (any rank-1 or [1, Cout] view), or null for none
     * @param g    shape arithmetic
     * @param y    output, {@link Conv2dGeometry#outputShape}
     */
    public static void forward(INDArray x, INDArray w, INDArray bias, Conv2dGeometry g, INDArray y) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d");
        if (bias == null) {
            op.addInputs(x, w);
        } else {
            op.addInputs(x, w, vector(bias));
        }
        Nd4j.exec(op.addOutputs(y).addIntegerArguments(g.opArguments()).build());
    }

    /**
     * The gradients of {@link #forward} for the upstream gradient {@code dy}.
     *
     * @param x     the forward input
     * @param w     the forward weights
     * @param bias  the forward bias, or null for none (then {@code db} must be null too)
     * @param dy    dL/dy, shape of y
     * @param g     shape arithmetic
     * @param dx    output dL/dx, shape of x
     * @param dw    output dL/dW, shape of W (may be a view into a flattened gradient vector)
     * @param db    output dL/db, length Cout, or null without bias
     */
    public static void backward(INDArray x, INDArray w, INDArray bias, INDArray dy, Conv2dGeometry g,
                                INDArray dx, INDArray dw, INDArray db) {
        DynamicCustomOp.DynamicCustomOpsBuilder op = DynamicCustomOp.builder("conv2d_bp");
        if (bias == null) {
            op.addInputs(x, w, dy).addOutputs(dx, dw);
        } else {
            op.addInputs(x, w, vector(bias), dy).addOutputs(dx, dw, vector(db));
        }
        Nd4j.exec(op.addIntegerArguments(g.opArguments()).build());
    }

    /**
     * {@link #forward} with the batch split into {@code split.slices()} slices computed in parallel.
     */
    public static void forward(INDArray x, INDArray w, INDArray bias, Conv2dGeometry g, INDArray y,
                               BatchSplit split) {
        if (!split.isSplit()) {
            forward(x, w, bias, g, y);
            return;
        }
        INDArray[] xs = split.views(x);
        INDArray[] ys = split.views(y);
        INDArray b = bias == null ? null : vector(bias);
        TaskPool.run(split.slices(), split.slices(), i -> {
            try {
                forward(xs[i], w, b, g, ys[i]);
            } catch (RuntimeException e) {
                throw new IllegalStateException("conv2d on " + split.describe(i) + " failed: " + e.getMessage(), e);
            }
        });
    }

    /**
     * {@link #backward} with the batch split into {@code split.slices()} slices computed in parallel; dL/dW and
     * dL/db are the sums of the slices' gradients.
     *
     * @param dwScratch {@code [slices − 1, Cout, Cin, kH, kW]}, contents ignored (unused without a split: may be null)
     * @param dbScratch {@code [slices − 1, Cout]}, contents ignored; null without bias or without a split
     */
    public static void backward(INDArray x, INDArray w, INDArray bias, INDArray dy, Conv2dGeometry g,
                                INDArray dx, INDArray dw, INDArray db, BatchSplit split,
                                INDArray dwScratch, INDArray dbScratch) {
        if (!split.isSplit()) {
            backward(x, w, bias, dy, g, dx, dw, db);
            return;
        }
        int slices = split.slices();
        INDArray[] xs = split.views(x);
        INDArray[] dys = split.views(dy);
        INDArray[] dxs = split.views(dx);
        INDArray[] dws = new INDArray[slices];
        INDArray[] dbs = new INDArray[slices];
        dws[0] = dw;
        dbs[0] = db == null ? null : vector(db);
        for (int i = 1; i < slices; i++) {
            dws[i] = dwScratch.get(NDArrayIndex.point(i - 1), NDArrayIndex.all(), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all());
            dbs[i] = db == null ? null : vector(dbScratch.getRow(i - 1));
        }
        INDArray b = bias == null ? null : vector(bias);
        TaskPool.run(slices, slices, i -> {
            try {
                backward(xs[i], w, b, dys[i], g, dxs[i], dws[i], dbs[i]);
            } catch (RuntimeException e) {
                throw new IllegalStateException("conv2d_bp on " + split.describe(i) + " failed: " + e.getMessage(),
                        e);
            }
        });
        for (int i = 1; i < slices; i++) {
            dw.addi(dws[i]);
            if (db != null) {
                dbs[0].addi(dbs[i]);
            }
        }
    }

    private static INDArray vector(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }
}
