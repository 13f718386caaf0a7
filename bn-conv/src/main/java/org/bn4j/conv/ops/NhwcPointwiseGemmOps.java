package org.bn4j.conv.ops;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * A pointwise (1x1, stride 1, no padding) NHWC convolution as matrix products through ND4J's BLAS (OpenBLAS on CPU).
 *
 * <p>In NHWC a dense input {@code x [N, H, W, Cin]} is the matrix {@code X [N·H·W, Cin]} and the output
 * {@code y [N, H, W, Cout]} is {@code Y [N·H·W, Cout]}; with the weights {@code W [Cout, Cin, 1, 1]} read as the
 * matrix {@code W [Cout, Cin]} (DL4J's layout), the convolution and its gradients are one gemm each:
 * <pre>
 *   forward:   Y     = X · Wᵀ + 1·bᵀ
 *   backward:  dL/dX = G · W              (G = dL/dY [N·H·W, Cout])
 *              dL/dW = Gᵀ · X             ([Cout, Cin])
 *              dL/db = Gᵀ · 1             (column sums of G)
 * </pre>
 * Dilation does not change a 1x1 convolution. Every output is written into the caller's array (a workspace array or a
 * gradient view), which must be dense and in C order, as must the inputs; the matrices are views of them.
 *
 * <p>NCHW is not computed here: there the same products are one small gemm per example ({@code [Cout, Cin] ×
 * [Cin, H·W]}), which measured no faster than libnd4j's oneDNN {@code conv2d} / {@code conv2d_bp}
 * (docs/convolution.md); {@link Conv2dKernel#select} keeps NCHW on {@link Conv2dOps}, and NHWC too unless libnd4j
 * runs one thread.
 */
public final class NhwcPointwiseGemmOps {

    private NhwcPointwiseGemmOps() {
    }

    /** Whether {@code g} is a convolution these products compute: kernel 1x1, stride 1, zero padding, NHWC. */
    public static boolean applies(Conv2dGeometry g) {
        return g.format() == CNN2DFormat.NHWC
                && g.kernel()[0] == 1 && g.kernel()[1] == 1
                && g.stride()[0] == 1 && g.stride()[1] == 1
                && g.padding()[0] == 0 && g.padding()[1] == 0;
    }

    /**
     * {@code y = x · Wᵀ + b} over the channel axis.
     *
     * @param x    input {@code [N, H, W, Cin]}
     * @param w    weights {@code [Cout, Cin, 1, 1]}
     * @param bias bias of length Cout (any rank-1 or [1, Cout] view), or null for none
     * @param y    output {@code [N, H, W, Cout]}
     */
    public static void forward(INDArray x, INDArray w, INDArray bias, INDArray y) {
        long cOut = w.size(0);
        INDArray y2 = matrix(y, "output", cOut);
        gemm(matrix(x, "input", w.size(1)), matrix(w, "weights", w.size(1)), y2, false, true);
        if (bias != null) {
            y2.addiRowVector(vector(bias));
        }
    }

    /**
     * The gradients of {@link #forward} for the upstream gradient {@code dy}.
     *
     * @param x  the forward input {@code [N, H, W, Cin]}
     * @param w  the forward weights {@code [Cout, Cin, 1, 1]}
     * @param dy dL/dy {@code [N, H, W, Cout]}
     * @param dx output dL/dx, shape of x
     * @param dw output dL/dW, shape of w (may be a view into a flattened gradient vector)
     * @param db output dL/db of length Cout, or null without bias
     */
    public static void backward(INDArray x, INDArray w, INDArray dy, INDArray dx, INDArray dw, INDArray db) {
        long cIn = w.size(1);
        long cOut = w.size(0);
        INDArray x2 = matrix(x, "input", cIn);
        INDArray g2 = matrix(dy, "gradient", cOut);
        gemm(g2, matrix(w, "weights", cIn), matrix(dx, "input gradient", cIn), false, false);
        gemm(g2, x2, matrix(dw, "weight gradient", cIn), true, false);
        if (db != null) {
            g2.sum(vector(db), 0);
        }
    }

    /** {@code c = op(a) · op(b)}, written into {@code c} itself. */
    private static void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB) {
        INDArray result = Nd4j.gemm(a, b, c, transposeA, transposeB, 1.0, 0.0);
        if (result != c) {
            c.assign(result);
        }
    }

    /** The dense C-order array {@code a} as a matrix view of {@code columns} columns. */
    private static INDArray matrix(INDArray a, String role, long columns) {
        if (a.ordering() != 'c' || a.elementWiseStride() != 1 || a.length() % columns != 0) {
            throw new IllegalArgumentException("NhwcPointwiseGemmOps: the " + role + " must be a dense C-order array with "
                    + columns + " values in its last dimension(s), got shape " + Arrays.toString(a.shape())
                    + " order " + a.ordering());
        }
        INDArray m = a.reshape('c', a.length() / columns, columns);
        if (m.data().address() != a.data().address() || m.offset() != a.offset()) {
            throw new IllegalStateException("NhwcPointwiseGemmOps: ND4J copied the " + role + " of shape "
                    + Arrays.toString(a.shape()) + " instead of viewing it as a matrix");
        }
        return m;
    }

    private static INDArray vector(INDArray a) {
        return a.rank() == 1 ? a : a.reshape(a.length());
    }
}
