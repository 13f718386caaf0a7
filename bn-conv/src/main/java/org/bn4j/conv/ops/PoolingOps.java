package org.bn4j.conv.ops;

import org.bn4j.internal.TaskPool;
import static org.bn4j.conv.ops.JavaKernelArrays.buffer;
import static org.bn4j.conv.ops.JavaKernelArrays.index;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * 2-d max and average pooling of NCHW float arrays in Java, forward and backward, one {@code H×W} plane (one
 * example, one channel) at a time: the plane is copied into a padded scratch plane (−∞ around it for MAX, 0 for
 * AVG), pooled there, and written back. No im2col, no layout reorder, no allocation per call (per-thread scratch).
 *
 * <p>A {@code kH×kW} window is separable, so each plane takes two passes over short contiguous rows, which C2
 * compiles to tight loops:
 * <pre>
 *   MAX  row[r][ow] = max_kw xp[r][ow·sW + kw]          y[oh][ow] = max_kh row[oh·sH + kh][ow]
 *   AVG  row[r][ow] = Σ_kw  xp[r][ow·sW + kw]           y[oh][ow] = Σ_kh  row[oh·sH + kh][ow] / divisor[oh][ow]
 * </pre>
 * Ties in MAX go to the FIRST maximum in row-major window order (as oneDNN, libnd4j and PyTorch do): each pass keeps
 * the earlier element unless a later one is strictly greater, and the vertical pass compares whole rows in order.
 * The forward records the winner of every output as a byte {@code kh·kW + kw} ({@link #MAX_WINDOW} elements at
 * most), so the backward is a scatter-add of dL/dy without recomputing the forward; without a record it recomputes
 * the winners plane by plane. AVG's divisor is {@code kH·kW} when padding counts ({@code includePad}), else the
 * number of window elements inside the input ({@code rows × columns}, separable too); the backward is the transpose
 * of the two passes.
 *
 * <p>Planes are split over {@code threads} threads ({@link TaskPool}); each plane is computed by one thread
 * alone, so results do not depend on the split.
 */
public final class PoolingOps {

    /** The largest window whose winners fit the one-byte record ({@code kH·kW}). */
    public static final int MAX_WINDOW = 256;

    private static final String KERNEL = "PoolingOps";

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private PoolingOps() {
    }

    /**
     * Whether this kernel computes a call: MAX or AVG, FLOAT, NCHW, no dilation, a window of at most
     * {@link #MAX_WINDOW} elements.
     */
    public static boolean applies(PoolingType type, Conv2dGeometry g, DataType dataType) {
        return (type == PoolingType.MAX || type == PoolingType.AVG) && dataType == DataType.FLOAT
                && g.format() == CNN2DFormat.NCHW && g.dilation()[0] == 1 && g.dilation()[1] == 1
                && g.kernel()[0] * g.kernel()[1] <= MAX_WINDOW;
    }

    /**
     * The forward pass: {@code y = pool(x)}.
     *
     * @param x          input {@code [N, C, H, W]}, dense C-order FLOAT
     * @param type       MAX or AVG
     * @param includePad AVG only: divide by {@code kH·kW} (true) or by the window elements inside the input (false)
     * @param g          the call's geometry ({@link #applies})
     * @param y          output {@code [N, C, OH, OW]}, dense C-order FLOAT
     * @param winners    MAX only: where to record the winner of each output ({@code y.length()} bytes at least), or
     *                   null for none
     * @param threads    threads to split the planes over
     */
    public static void forward(INDArray x, PoolingType type, boolean includePad, Conv2dGeometry g, INDArray y,
                               byte[] winners, int threads) {
        Plan p = new Plan(x, g);
        FloatBuffer xb = buffer(x, KERNEL, "input");
        FloatBuffer yb = buffer(y, KERNEL, "output");
        long xBase = x.offset();
        long yBase = y.offset();
        boolean max = type == PoolingType.MAX;
        int planes = p.planes;
        int slices = Math.max(1, Math.min(threads, planes));
        TaskPool.run(slices, slices, slice -> {
            Scratch s = SCRATCH.get().reserve(p);
            if (!max) {
                s.divisors(p, includePad);
            }
            for (int c = planes * slice / slices, end = planes * (slice + 1) / slices; c < end; c++) {
                load(xb, xBase + (long) c * p.inPlane, s.xp, p, max ? Float.NEGATIVE_INFINITY : 0f);
                if (max) {
                    maxPlane(s, p, winners, winners == null ? 0 : c * p.outPlane);
                } else {
                    avgPlane(s, p);
                }
                yb.put(index(yBase + (long) c * p.outPlane), s.out, 0, p.outPlane);
            }
        });
    }

    /**
     * The backward pass: dL/dx for the upstream gradient {@code dy}.
     *
     * @param x          the forward input (read only for MAX without a record of the winners)
     * @param dy         dL/dy {@code [N, C, OH, OW]}, dense C-order FLOAT
     * @param type       MAX or AVG
     * @param includePad as in {@link #forward}
     * @param g          the call's geometry
     * @param winners    MAX only: the record of a forward of this {@code x} with this geometry, or null to recompute
     * @param dx         output dL/dx {@code [N, C, H, W]}, dense C-order FLOAT
     * @param threads    threads to split the planes over
     */
    public static void backward(INDArray x, INDArray dy, PoolingType type, boolean includePad, Conv2dGeometry g,
                                byte[] winners, INDArray dx, int threads) {
        Plan p = new Plan(x, g);
        boolean max = type == PoolingType.MAX;
        FloatBuffer xb = max && winners == null ? buffer(x, KERNEL, "input") : null;
        FloatBuffer dyb = buffer(dy, KERNEL, "gradient");
        FloatBuffer dxb = buffer(dx, KERNEL, "input gradient");
        long xBase = x.offset();
        long dyBase = dy.offset();
        long dxBase = dx.offset();
        int planes = p.planes;
        int slices = Math.max(1, Math.min(threads, planes));
        TaskPool.run(slices, slices, slice -> {
            Scratch s = SCRATCH.get().reserve(p);
            if (!max) {
                s.divisors(p, includePad);
            }
            for (int c = planes * slice / slices, end = planes * (slice + 1) / slices; c < end; c++) {
                dyb.get(index(dyBase + (long) c * p.outPlane), s.out, 0, p.outPlane);
                if (max) {
                    byte[] record = winners;
                    int at = c * p.outPlane;
                    if (record == null) {
                        load(xb, xBase + (long) c * p.inPlane, s.xp, p, Float.NEGATIVE_INFINITY);
                        maxPlane(s, p, s.winners, 0);
                        dyb.get(index(dyBase + (long) c * p.outPlane), s.out, 0, p.outPlane);
                        record = s.winners;
                        at = 0;
                    }
                    maxPlaneBackward(s, p, record, at);
                } else {
                    avgPlaneBackward(s, p);
                }
                store(s.xp, p, dxb, dxBase + (long) c * p.inPlane);
            }
        });
    }

    /** One input plane into the padded scratch plane, the border set to {@code fill}. */
    private static void load(FloatBuffer xb, long at, float[] xp, Plan p, float fill) {
        int wp = p.wp;
        Arrays.fill(xp, 0, p.padTop * wp, fill);
        for (int h = 0; h < p.h; h++) {
            int row = (p.padTop + h) * wp;
            Arrays.fill(xp, row, row + p.padLeft, fill);
            xb.get(index(at + (long) h * p.w), xp, row + p.padLeft, p.w);
            Arrays.fill(xp, row + p.padLeft + p.w, row + wp, fill);
        }
        Arrays.fill(xp, (p.padTop + p.h) * wp, p.hp * wp, fill);
    }

    /** The input part of the padded scratch plane (dL/dx) into the output buffer. */
    private static void store(float[] xp, Plan p, FloatBuffer dxb, long at) {
        for (int h = 0; h < p.h; h++) {
            dxb.put(index(at + (long) h * p.w), xp, (p.padTop + h) * p.wp + p.padLeft, p.w);
        }
    }

    private static void maxPlane(Scratch s, Plan p, byte[] winners, int at) {
        float[] xp = s.xp;
        float[] row = s.row;
        float[] rowWinner = s.rowWinner;
        int ow = p.outW;
        int kW = p.kW;
        int sW = p.sW;
        boolean vectors = JavaKernelArrays.VECTOR_MODULE_PRESENT;
        for (int r = 0; r < p.rows; r++) {
            int in = r * p.wp;
            int o = r * ow;
            int j = 0;
            if (vectors && sW == 1) {
                j = PoolingVectors.maxRow(xp, in, kW, row, rowWinner, o, ow);
            } else if (vectors && PoolingVectors.maxRow(xp, in, kW, s.wide, s.wideWinner, 0, p.wideCount) > 0) {
                // NOTE: strided: every column's stride-1 maximum, branch-free, then every sW-th of them
                for (; j < ow; j++) {
                    row[o + j] = s.wide[j * sW];
                    rowWinner[o + j] = s.wideWinner[j * sW];
                }
            }
            for (in += j * sW; j < ow; j++, in += sW) {
                float m = xp[in];
                int k = 0;
                for (int kw = 1; kw < kW; kw++) {
                    float v = xp[in + kw];
                    if (v > m) {
                        m = v;
                        k = kw;
                    }
                }
                row[o + j] = m;
                rowWinner[o + j] = k;
            }
        }
        float[] out = s.out;
        float[] winner = s.winner;
        byte[] record = winners == null ? s.winners : winners;
        int recordAt = winners == null ? 0 : at;
        for (int i = 0; i < p.outH; i++) {
            int first = i * p.sH * ow;
            int o = i * ow;
            int j = vectors ? PoolingVectors.maxColumn(row, rowWinner, first, ow, p.kH, kW, out, winner, o, ow) : 0;
            for (; j < ow; j++) {
                float m = row[first + j];
                float k = rowWinner[first + j];
                for (int kh = 1, r = first + ow; kh < p.kH; kh++, r += ow) {
                    float v = row[r + j];
                    if (v > m) {
                        m = v;
                        k = kh * kW + rowWinner[r + j];
                    }
                }
                out[o + j] = m;
                winner[o + j] = k;
            }
            for (j = 0; j < ow; j++) {
                record[recordAt + o + j] = (byte) (int) winner[o + j];
            }
        }
    }

    /** dL/dx of one plane into the padded scratch plane: each dL/dy added at its window's winner. */
    private static void maxPlaneBackward(Scratch s, Plan p, byte[] winners, int at) {
        float[] dxp = s.xp;
        Arrays.fill(dxp, 0, p.hp * p.wp, 0f);
        int[] offset = s.offset;
        float[] dy = s.out;
        int ow = p.outW;
        for (int i = 0; i < p.outH; i++) {
            int o = i * ow;
            int corner = i * p.sH * p.wp;
            for (int j = 0; j < ow; j++, corner += p.sW) {
                dxp[corner + offset[winners[at + o + j] & 0xFF]] += dy[o + j];
            }
        }
    }

    private static void avgPlane(Scratch s, Plan p) {
        float[] xp = s.xp;
        float[] row = s.row;
        int ow = p.outW;
        int kW = p.kW;
        int sW = p.sW;
        boolean vectors = JavaKernelArrays.VECTOR_MODULE_PRESENT;
        for (int r = 0; r < p.rows; r++) {
            int in = r * p.wp;
            int o = r * ow;
            if (vectors && sW == 1 && PoolingVectors.sumRow(xp, in, kW, row, o, ow) == ow) {
                continue;
            }
            for (int j = 0; j < ow; j++) {
                row[o + j] = xp[in + j * sW];
            }
            for (int kw = 1; kw < kW; kw++) {
                int from = in + kw;
                if (sW == 1) {
                    for (int j = 0; j < ow; j++) {
                        row[o + j] += xp[from + j];
                    }
                } else {
                    for (int j = 0; j < ow; j++) {
                        row[o + j] += xp[from + j * sW];
                    }
                }
            }
        }
        float[] out = s.out;
        float[] scale = s.scale;
        for (int i = 0; i < p.outH; i++) {
            int first = i * p.sH * ow;
            int o = i * ow;
            if (vectors && PoolingVectors.sumColumn(row, first, ow, p.kH, scale, out, o, ow) == ow) {
                continue;
            }
            for (int j = 0; j < ow; j++) {
                out[o + j] = row[first + j];
            }
            for (int kh = 1, r = first + ow; kh < p.kH; kh++, r += ow) {
                for (int j = 0; j < ow; j++) {
                    out[o + j] += row[r + j];
                }
            }
            for (int j = 0; j < ow; j++) {
                out[o + j] *= scale[o + j];
            }
        }
    }

    /** dL/dx of one plane into the padded scratch plane: the two passes of {@link #avgPlane} transposed. */
    private static void avgPlaneBackward(Scratch s, Plan p) {
        boolean vectors = JavaKernelArrays.VECTOR_MODULE_PRESENT;
        float[] g = s.out;
        float[] scale = s.scale;
        float[] row = s.row;
        int ow = p.outW;
        Arrays.fill(row, 0, p.rows * ow, 0f);
        for (int i = 0; i < p.outH; i++) {
            int o = i * ow;
            for (int j = 0; j < ow; j++) {
                g[o + j] *= scale[o + j];
            }
            for (int kh = 0, r = i * p.sH * ow; kh < p.kH; kh++, r += ow) {
                for (int j = vectors ? PoolingVectors.addInto(row, r, g, o, ow) : 0; j < ow; j++) {
                    row[r + j] += g[o + j];
                }
            }
        }
        float[] dxp = s.xp;
        Arrays.fill(dxp, 0, p.hp * p.wp, 0f);
        int kW = p.kW;
        int sW = p.sW;
        for (int r = 0; r < p.rows; r++) {
            int in = r * p.wp;
            int o = r * ow;
            for (int kw = 0; kw < kW; kw++) {
                int to = in + kw;
                if (sW == 1) {
                    for (int j = vectors ? PoolingVectors.addInto(dxp, to, row, o, ow) : 0; j < ow; j++) {
                        dxp[to + j] += row[o + j];
                    }
                } else {
                    for (int j = 0; j < ow; j++) {
                        dxp[to + j * sW] += row[o + j];
                    }
                }
            }
        }
    }

    /** The sizes of one call: planes, their padded scratch size, the rows the windows read. */
    private static final class Plan {
        final int planes;
        final int h;
        final int w;
        final int outH;
        final int outW;
        final int kH;
        final int kW;
        final int sH;
        final int sW;
        final int padTop;
        final int padLeft;
        /** Padded rows and columns: the input with its top/left padding and whatever the last window reaches. */
        final int hp;
        final int wp;
        /** Rows of the padded plane that windows read. */
        final int rows;
        final int inPlane;
        final int outPlane;
        /** Columns of a row whose stride-1 window maxima contain the strided ones. */
        final int wideCount;

        Plan(INDArray x, Conv2dGeometry g) {
            if (x.rank() != 4 || g.format() != CNN2DFormat.NCHW) {
                throw new IllegalArgumentException(KERNEL + ": needs NCHW input of rank 4, got shape "
                        + Arrays.toString(x.shape()) + " in " + g.format());
            }
            planes = Math.toIntExact(x.size(0) * x.size(1));
            h = (int) x.size(2);
            w = (int) x.size(3);
            outH = g.outH();
            outW = g.outW();
            kH = g.kernel()[0];
            kW = g.kernel()[1];
            sH = g.stride()[0];
            sW = g.stride()[1];
            padTop = g.padding()[0];
            padLeft = g.padding()[1];
            rows = (outH - 1) * sH + kH;
            hp = Math.max(padTop + h, rows);
            wp = Math.max(padLeft + w, (outW - 1) * sW + kW);
            inPlane = h * w;
            wideCount = (outW - 1) * sW + 1;
            outPlane = outH * outW;
            if ((long) hp * wp > Integer.MAX_VALUE || (long) planes * outPlane > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(KERNEL + ": arrays too large for int indexing: "
                        + Arrays.toString(x.shape()));
            }
        }
    }

    /** One thread's planes, grown as needed and reused by its next call. */
    private static final class Scratch {
        float[] xp = new float[0];
        float[] row = new float[0];
        float[] rowWinner = new float[0];
        float[] out = new float[0];
        float[] winner = new float[0];
        float[] wide = new float[0];
        float[] wideWinner = new float[0];
        byte[] winners = new byte[0];
        float[] scale = new float[0];
        /** Offset in the padded plane of each window element {@code kh·kW + kw} from the window's corner. */
        int[] offset = new int[0];

        Scratch reserve(Plan p) {
            int padded = p.hp * p.wp;
            if (xp.length < padded) {
                xp = new float[padded];
            }
            int rowLength = p.rows * p.outW;
            if (row.length < rowLength) {
                row = new float[rowLength];
                rowWinner = new float[rowLength];
            }
            if (out.length < p.outPlane) {
                out = new float[p.outPlane];
                winner = new float[p.outPlane];
                winners = new byte[p.outPlane];
                scale = new float[p.outPlane];
            }
            if (wide.length < p.wideCount) {
                wide = new float[p.wideCount];
                wideWinner = new float[p.wideCount];
            }
            int window = p.kH * p.kW;
            if (offset.length < window) {
                offset = new int[window];
            }
            for (int kh = 0; kh < p.kH; kh++) {
                for (int kw = 0; kw < p.kW; kw++) {
                    offset[kh * p.kW + kw] = kh * p.wp + kw;
                }
            }
            return this;
        }

        /**
         * {@code 1 / divisor} of every output: {@code kH·kW} with {@code includePad}, else the window's rows inside
         * the input times its columns inside the input.
         */
        void divisors(Plan p, boolean includePad) {
            for (int i = 0; i < p.outH; i++) {
                int rowsIn = inside(i * p.sH - p.padTop, p.kH, p.h);
                for (int j = 0; j < p.outW; j++) {
                    int colsIn = inside(j * p.sW - p.padLeft, p.kW, p.w);
                    int divisor = includePad ? p.kH * p.kW : rowsIn * colsIn;
                    scale[i * p.outW + j] = divisor == 0 ? 0f : 1f / divisor;
                }
            }
        }

        private static int inside(int start, int k, int size) {
            return Math.max(0, Math.min(start + k, size) - Math.max(start, 0));
        }
    }
}
