package org.bn4j.math;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.Buffer;

/**
 * The streaming passes of {@link CpuKernels} over a whole input: two reductions to per-channel double sums and two
 * element-wise maps, each one read of the inputs (and one write of the output), parallel over the tasks of a
 * {@link CpuGeometry}. Per-channel parameters are given as double arrays indexed by channel.
 *
 * <p>NOTE: partial sums are kept per task and added in task order after the pass, so results do not depend on
 * which thread ran which task (bitwise reproducible from run to run).
 */
final class CpuPasses {

    /** Segments summed into the float lanes before they are flushed into the double lanes. */
    static final int FLUSH_EVERY = 16;

    private static final ThreadLocal<CpuFloatTiles> FLOAT_TILES = ThreadLocal.withInitial(CpuFloatTiles::new);
    private static final ThreadLocal<CpuDoubleTiles> DOUBLE_TILES = ThreadLocal.withInitial(CpuDoubleTiles::new);

    private enum Op { MOMENTS, GRADIENT_SUMS, AFFINE, GRADIENT_MAP }

    private CpuPasses() {
    }

    /** Per channel c: {@code Σ(x − a_c)} at [c] and {@code Σ(x − a_c)²} at [C + c]. */
    static double[] moments(CpuGeometry g, INDArray x, double[] a) {
        return run(Op.MOMENTS, g, x, null, null, a, null, null, null);
    }

    /** Per channel c: {@code Σ dy} at [c] and {@code Σ dy·(x − a_c)} at [C + c]. */
    static double[] gradientSums(CpuGeometry g, INDArray x, INDArray dy, double[] a) {
        return run(Op.GRADIENT_SUMS, g, x, dy, null, a, null, null, null);
    }

    /** {@code out = (x − a_c)·b_c + c_c}. */
    static void affine(CpuGeometry g, INDArray x, INDArray out, double[] a, double[] b, double[] c) {
        run(Op.AFFINE, g, x, null, out, a, b, c, null);
    }

    /** {@code out = dy·b_c + (x − a_c)·c_c + d_c}. */
    static void gradientMap(CpuGeometry g, INDArray x, INDArray dy, INDArray out,
                            double[] a, double[] b, double[] c, double[] d) {
        run(Op.GRADIENT_MAP, g, x, dy, out, a, b, c, d);
    }

    private static double[] run(Op op, CpuGeometry g, INDArray x, INDArray y, INDArray out,
                                double[] a, double[] b, double[] c, double[] d) {
        boolean dbl = x.dataType() == DataType.DOUBLE;
        Buffer bx = nio(x, dbl);
        Buffer by = y == null ? null : nio(y, dbl);
        Buffer bo = out == null ? null : nio(out, dbl);
        boolean reduce = op == Op.MOMENTS || op == Op.GRADIENT_SUMS;
        double[][] partial = new double[g.tasks][];
        CpuParallel.run(g.tasks, g.parallel, task -> {
            CpuTiles tiles = dbl ? DOUBLE_TILES.get() : FLOAT_TILES.get();
            tiles.reserve(g.lanes);
            tiles.bind(bx, by, bo);
            try {
                partial[task] = g.planes ? planeTask(op, reduce, g, tiles, task, a, b, c, d)
                        : rowTask(op, reduce, g, tiles, task, a, b, c, d);
            } finally {
                tiles.unbind();
            }
        });
        if (!reduce) {
            return null;
        }
        int features = g.features;
        double[] sums = new double[2 * features];
        for (int task = 0; task < g.tasks; task++) {
            double[] p = partial[task];
            if (g.planes) {
                int channel = g.channelOfTask(task);
                sums[channel] += p[0];
                sums[features + channel] += p[1];
            } else {
                for (int i = 0; i < sums.length; i++) {
                    sums[i] += p[i];
                }
            }
        }
        return sums;
    }

    /** One channel over a range of images: segments are tiles of its H·W planes; returns {sum1, sum2}. */
    private static double[] planeTask(Op op, boolean reduce, CpuGeometry g, CpuTiles tiles, int task,
                                      double[] a, double[] b, double[] c, double[] d) {
        int channel = g.channelOfTask(task);
        int lanes = g.lanes;
        tiles.fillParams(at(a, channel), at(b, channel), at(c, channel), at(d, channel));
        if (reduce) {
            tiles.clearLanes(lanes);
        }
        int inner = g.inner;
        int pending = 0;
        for (int n = g.firstOuter(task), end = g.endOuter(task); n < end; n++) {
            int base = Math.toIntExact(((long) n * g.features + channel) * inner);
            for (int offset = 0; offset < inner; offset += lanes) {
                int length = Math.min(lanes, inner - offset);
                apply(op, tiles, base + offset, length);
                if (reduce && ++pending == FLUSH_EVERY) {
                    tiles.flush(lanes);
                    pending = 0;
                }
            }
        }
        if (!reduce) {
            return null;
        }
        tiles.flush(lanes);
        double s1 = 0;
        double s2 = 0;
        for (int i = 0; i < lanes; i++) {
            s1 += tiles.sum1(i);
            s2 += tiles.sum2(i);
        }
        return new double[] {s1, s2};
    }

    /** A block of rows: segments are super rows; returns per-channel partial sums [sum1 per c, sum2 per c]. */
    private static double[] rowTask(Op op, boolean reduce, CpuGeometry g, CpuTiles tiles, int task,
                                    double[] a, double[] b, double[] c, double[] d) {
        int lanes = g.lanes;
        for (int lane = 0; lane < lanes; lane++) {
            int channel = g.channelOfLane(lane);
            tiles.setParams(lane, at(a, channel), at(b, channel), at(c, channel), at(d, channel));
        }
        if (reduce) {
            tiles.clearLanes(lanes);
        }
        int rowLength = g.features * g.inner;
        int pending = 0;
        for (int row = g.firstOuter(task), end = g.endOuter(task); row < end; row += g.rowsPerSegment) {
            int rows = Math.min(g.rowsPerSegment, end - row);
            apply(op, tiles, Math.toIntExact((long) row * rowLength), rows * rowLength);
            if (reduce && ++pending == FLUSH_EVERY) {
                tiles.flush(lanes);
                pending = 0;
            }
        }
        if (!reduce) {
            return null;
        }
        tiles.flush(lanes);
        int features = g.features;
        double[] sums = new double[2 * features];
        for (int lane = 0; lane < lanes; lane++) {
            int channel = g.channelOfLane(lane);
            sums[channel] += tiles.sum1(lane);
            sums[features + channel] += tiles.sum2(lane);
        }
        return sums;
    }

    private static void apply(Op op, CpuTiles tiles, int pos, int length) {
        switch (op) {
            case MOMENTS:
                tiles.moments(pos, length);
                break;
            case GRADIENT_SUMS:
                tiles.gradientSums(pos, length);
                break;
            case AFFINE:
                tiles.affine(pos, length);
                break;
            case GRADIENT_MAP:
                tiles.gradientMap(pos, length);
                break;
            default:
                throw new IllegalStateException(op.toString());
        }
    }

    private static double at(double[] values, int channel) {
        return values == null ? 0.0 : values[channel];
    }

    private static Buffer nio(INDArray a, boolean dbl) {
        return dbl ? a.data().asNioDouble() : a.data().asNioFloat();
    }
}
