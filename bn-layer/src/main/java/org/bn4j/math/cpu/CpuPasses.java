package org.bn4j.math.cpu;

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

    /** Terms of one float lane sum at most: segments per level-1 flush, and level-1 flushes per flush into double. */
    static final int FLUSH_EVERY = 16;

    private static final ThreadLocal<CpuFloatTiles> FLOAT_TILES = ThreadLocal.withInitial(CpuFloatTiles::new);
    private static final ThreadLocal<CpuDoubleTiles> DOUBLE_TILES = ThreadLocal.withInitial(CpuDoubleTiles::new);

    private enum Op { MOMENTS, GRADIENT_SUMS, AFFINE, GRADIENT_MAP, RELU_GRADIENT }

    /**
     * The per-channel parameters of the affine map {@code (x − center_c)·scale_c + shift_c}; {@code center} null
     * for 0 (the map is then {@code x·scale_c + shift_c}).
     */
    record AffineMap(double[] center, double[] scale, double[] shift) {
    }

    /** The per-channel parameters of the backward map {@code dy·dyScale_c + (x − center_c)·xScale_c + shift_c}. */
    record GradientMap(double[] center, double[] dyScale, double[] xScale, double[] shift) {
    }

    /**
     * The four per-channel values a map's element loop reads, in the tiles' order {@code (a, b, c, d)} (see
     * {@link CpuTiles}); a null array reads as 0.
     */
    private record LaneParameters(double[] a, double[] b, double[] c, double[] d) {

        static LaneParameters of(AffineMap p) {
            return new LaneParameters(p.center(), p.scale(), p.shift(), null);
        }

        static LaneParameters of(GradientMap p) {
            return new LaneParameters(p.center(), p.dyScale(), p.xScale(), p.shift());
        }

        void fill(CpuTiles tiles, int channel) {
            tiles.fillParams(at(a, channel), at(b, channel), at(c, channel), at(d, channel));
        }

        void set(CpuTiles tiles, int lane, int channel) {
            tiles.setParams(lane, at(a, channel), at(b, channel), at(c, channel), at(d, channel));
        }
    }

    /**
     * The step between the two halves of a fused pass, run by the task of one channel block: turns the block's
     * sums ({@code [sum1 of channels first … end−1, sum2 of the same]}) into that block's entries of the map's
     * per-channel parameters (and of any per-channel results). Called concurrently for disjoint blocks.
     */
    @FunctionalInterface
    interface BlockStep {
        void accept(int first, int end, double[] blockSums);
    }

    private CpuPasses() {
    }

    /** Per channel c: {@code Σ(x − center_c)} at [c] and {@code Σ(x − center_c)²} at [C + c]. */
    static double[] moments(CpuGeometry g, INDArray x, double[] center) {
        return reduce(Op.MOMENTS, g, x, null, center);
    }

    /** Per channel c: {@code Σ dy} at [c] and {@code Σ dy·(x − center_c)} at [C + c]. */
    static double[] gradientSums(CpuGeometry g, INDArray x, INDArray dy, double[] center) {
        return reduce(Op.GRADIENT_SUMS, g, x, dy, center);
    }

    /** {@code out = (x − center_c)·scale_c + shift_c}. */
    static void affine(CpuGeometry g, INDArray x, INDArray out, AffineMap p) {
        map(Op.AFFINE, g, x, null, out, LaneParameters.of(p));
    }

    /** {@code out = dy·dyScale_c + (x − center_c)·xScale_c + shift_c}. */
    static void gradientMap(CpuGeometry g, INDArray x, INDArray dy, INDArray out, GradientMap p) {
        map(Op.GRADIENT_MAP, g, x, dy, out, LaneParameters.of(p));
    }

    /** {@code out = dy} where the affine map {@code p} of x is positive, else 0: the gradient through a ReLU of it. */
    static void reluGradient(CpuGeometry g, INDArray x, INDArray dy, INDArray out, AffineMap p) {
        map(Op.RELU_GRADIENT, g, x, dy, out, LaneParameters.of(p));
    }

    /**
     * Fused forward, block by block of {@code g} (a {@link CpuGeometry#fused} geometry): the moments of the block
     * ({@link #moments}), {@code step} (which fills the block's channels of {@code p}), then the affine map of the
     * block ({@link #affine}), whose reads of x find it still in the cache.
     */
    static void momentsThenAffine(CpuGeometry g, INDArray x, double[] center, BlockStep step, INDArray out,
                                  AffineMap p) {
        reduceThenMap(Op.MOMENTS, Op.AFFINE, g, x, null, center, step, out, LaneParameters.of(p));
    }

    /** Fused backward, block by block as {@link #momentsThenAffine}: {@link #gradientSums}, then {@link #gradientMap}. */
    static void gradientSumsThenMap(CpuGeometry g, INDArray x, INDArray dy, double[] center, BlockStep step,
                                    INDArray out, GradientMap p) {
        reduceThenMap(Op.GRADIENT_SUMS, Op.GRADIENT_MAP, g, x, dy, center, step, out, LaneParameters.of(p));
    }

    private static void reduceThenMap(Op reduction, Op map, CpuGeometry g, INDArray x, INDArray dy, double[] center,
                                      BlockStep step, INDArray out, LaneParameters p) {
        runTasks(g.tasks, g, x, dy, out, (tiles, task) -> {
            int first = g.firstChannel(task);
            int end = g.endChannel(task);
            step.accept(first, end, planeTask(reduction, g, tiles, task, center));
            for (int n = 0; n < g.outer; n++) {
                for (int channel = first; channel < end; channel++) {
                    p.fill(tiles, channel);
                    planeMap(map, g, tiles, (long) n * g.features + channel);
                }
            }
        });
    }

    /** The body of one task of a pass, with the calling thread's tiles bound to the pass's buffers. */
    @FunctionalInterface
    private interface TileTask {
        void run(CpuTiles tiles, int task);
    }

    /**
     * Runs tasks {@code 0 … tasks−1} of a pass over {@code x} (and {@code dy}, {@code out}, either may be null),
     * in parallel where {@code g} says so, each with its thread's tiles bound to the arrays' native buffers.
     */
    private static void runTasks(int tasks, CpuGeometry g, INDArray x, INDArray dy, INDArray out, TileTask body) {
        boolean dbl = x.dataType() == DataType.DOUBLE;
        Buffer bx = nio(x, dbl);
        Buffer by = dy == null ? null : nio(dy, dbl);
        Buffer bo = out == null ? null : nio(out, dbl);
        CpuParallel.run(tasks, g.parallel, task -> {
            CpuTiles tiles = tiles(dbl, g);
            tiles.bind(bx, by, bo);
            try {
                body.run(tiles, task);
            } finally {
                tiles.unbind();
            }
        });
    }

    /** One read of x (and dy): per-channel sums {@code [sum1 per channel, sum2 per channel]}, added in task order. */
    private static double[] reduce(Op op, CpuGeometry g, INDArray x, INDArray dy, double[] center) {
        double[][] partial = new double[g.tasks][];
        runTasks(g.tasks, g, x, dy, null, (tiles, task) -> partial[task] = g.planes
                ? planeTask(op, g, tiles, task, center) : rowReduceTask(op, g, tiles, task, center));
        int features = g.features;
        double[] sums = new double[2 * features];
        for (int task = 0; task < g.tasks; task++) {
            double[] p = partial[task];
            if (g.planes) {
                int first = g.firstChannel(task);
                int width = p.length / 2;
                for (int k = 0; k < width; k++) {
                    sums[first + k] += p[k];
                    sums[features + first + k] += p[width + k];
                }
            } else {
                for (int i = 0; i < sums.length; i++) {
                    sums[i] += p[i];
                }
            }
        }
        return sums;
    }

    /** One read of x (and dy) and one write of out, element by element. */
    private static void map(Op op, CpuGeometry g, INDArray x, INDArray dy, INDArray out, LaneParameters p) {
        runTasks(g.planes ? g.mapTasks : g.tasks, g, x, dy, out, (tiles, task) -> {
            if (g.planes) {
                planeMapTask(op, g, tiles, task, p);
            } else {
                rowMapTask(op, g, tiles, task, p);
            }
        });
    }

    private static CpuTiles tiles(boolean dbl, CpuGeometry g) {
        CpuTiles tiles = dbl ? DOUBLE_TILES.get() : FLOAT_TILES.get();
        tiles.reserve(g.laneBlocks, g.lanes);
        return tiles;
    }

    /**
     * A reduction over a block of channels and a range of images: for each image the block's planes (contiguous),
     * each channel summed into its own block of {@code lanes} lanes. Returns {@code [sum1 per channel, sum2 per channel]}
     * of the block.
     */
    private static double[] planeTask(Op op, CpuGeometry g, CpuTiles tiles, int task, double[] a) {
        int first = g.firstChannel(task);
        int width = g.endChannel(task) - first;
        int lanes = g.lanes;
        int inner = g.inner;
        tiles.clearLanes(width, lanes);
        int tilesPerPlane = (inner + lanes - 1) / lanes;
        int pending = 0;
        for (int n = g.firstOuter(task), end = g.endOuter(task); n < end; n++) {
            for (int k = 0; k < width; k++) {
                int channel = first + k;
                tiles.fillParams(at(a, channel), 0.0, 0.0, 0.0);
                int base = Math.toIntExact(((long) n * g.features + channel) * inner);
                for (int offset = 0, tile = 1; offset < inner; offset += lanes, tile++) {
                    apply(op, tiles, base + offset, Math.min(lanes, inner - offset), k);
                    if (tilesPerPlane > FLUSH_EVERY && tile % FLUSH_EVERY == 0) {
                        tiles.flush(width, lanes);              // huge planes: flush within the plane
                    }
                }
            }
            pending += tilesPerPlane;
            if (tilesPerPlane <= FLUSH_EVERY && pending + tilesPerPlane > FLUSH_EVERY) {
                tiles.flush(width, lanes);
                pending = 0;
            }
        }
        tiles.finish(width, lanes);
        double[] sums = new double[2 * width];
        for (int k = 0; k < width; k++) {
            for (int i = 0; i < lanes; i++) {
                sums[k] += tiles.sum1(k, i);
                sums[width + k] += tiles.sum2(k, i);
            }
        }
        return sums;
    }

    /**
     * A contiguous range of planes for an element-wise map, in memory order.
     *
     * <p>NOTE: memory order, not channel by channel as for the sums: the planes of one channel lie {@code C·H·W}
     * values apart, and jumping between them while writing defeats sequential writes (a one-off timing during
     * development found it clearly slower; no committed benchmark isolates it). The sums go by channel blocks
     * instead, so that each channel keeps its lanes for the whole task rather than folding them after every plane.
     */
    private static void planeMapTask(Op op, CpuGeometry g, CpuTiles tiles, int task, LaneParameters p) {
        for (long plane = g.firstPlane(task), end = g.endPlane(task); plane < end; plane++) {
            p.fill(tiles, (int) (plane % g.features));
            planeMap(op, g, tiles, plane);
        }
    }

    /** The map over one plane ({@code n·C + c}), tile by tile, with the plane's channel's parameters filled in. */
    private static void planeMap(Op op, CpuGeometry g, CpuTiles tiles, long plane) {
        int inner = g.inner;
        int lanes = g.lanes;
        int base = Math.toIntExact(plane * inner);
        for (int offset = 0; offset < inner; offset += lanes) {
            apply(op, tiles, base + offset, Math.min(lanes, inner - offset));
        }
    }

    /** A block of rows for a reduction: segments are super rows; returns per-channel partial sums [sum1, sum2]. */
    private static double[] rowReduceTask(Op op, CpuGeometry g, CpuTiles tiles, int task, double[] center) {
        int lanes = g.lanes;
        for (int lane = 0; lane < lanes; lane++) {
            tiles.setParams(lane, at(center, g.channelOfLane(lane)), 0.0, 0.0, 0.0);
        }
        tiles.clearLanes(1, lanes);
        int rowLength = g.features * g.inner;
        int pending = 0;
        for (int row = g.firstOuter(task), end = g.endOuter(task); row < end; row += g.rowsPerSegment) {
            int rows = Math.min(g.rowsPerSegment, end - row);
            apply(op, tiles, Math.toIntExact((long) row * rowLength), rows * rowLength);
            if (++pending == FLUSH_EVERY) {
                tiles.flush(1, lanes);
                pending = 0;
            }
        }
        tiles.finish(1, lanes);
        int features = g.features;
        double[] sums = new double[2 * features];
        for (int lane = 0; lane < lanes; lane++) {
            int channel = g.channelOfLane(lane);
            sums[channel] += tiles.sum1(0, lane);
            sums[features + channel] += tiles.sum2(0, lane);
        }
        return sums;
    }

    /** A block of rows for a map: segments are super rows. */
    private static void rowMapTask(Op op, CpuGeometry g, CpuTiles tiles, int task, LaneParameters p) {
        int lanes = g.lanes;
        for (int lane = 0; lane < lanes; lane++) {
            p.set(tiles, lane, g.channelOfLane(lane));
        }
        int rowLength = g.features * g.inner;
        for (int row = g.firstOuter(task), end = g.endOuter(task); row < end; row += g.rowsPerSegment) {
            int rows = Math.min(g.rowsPerSegment, end - row);
            apply(op, tiles, Math.toIntExact((long) row * rowLength), rows * rowLength);
        }
    }

    private static void apply(Op op, CpuTiles tiles, int pos, int length) {
        apply(op, tiles, pos, length, 0);
    }

    private static void apply(Op op, CpuTiles tiles, int pos, int length, int block) {
        switch (op) {
            case MOMENTS:
                tiles.moments(pos, length, block);
                break;
            case GRADIENT_SUMS:
                tiles.gradientSums(pos, length, block);
                break;
            case AFFINE:
                tiles.affine(pos, length);
                break;
            case GRADIENT_MAP:
                tiles.gradientMap(pos, length);
                break;
            case RELU_GRADIENT:
                tiles.reluGradient(pos, length);
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
