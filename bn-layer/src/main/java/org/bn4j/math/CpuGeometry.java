package org.bn4j.math;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a {@link CpuKernels} pass walks a C-order input: the array seen as {@code [outer, C, inner]} (dense
 * {@code [N, C, 1]}, NCHW {@code [N, C, H·W]}, NHWC {@code [N·H·W, C, 1]}), cut into contiguous segments and
 * parallel tasks.
 *
 * <ul>
 *   <li><b>Planes</b> ({@code inner ≥ 32}, NCHW): a task is one channel over a range of images; its segments are
 *   the channel's {@code H·W} plane of each image, in tiles of at most {@value #PLANE_TILE} values. Every lane of a
 *   tile belongs to the same channel. Few channels (C=1) are split over images so that all cores work.</li>
 *   <li><b>Rows</b> (dense, NHWC, NCHW with tiny planes): a task is a block of rows; a segment is a "super row"
 *   of {@code r} consecutive rows ({@code r·C·inner ≥ 256} values), and lane {@code i} belongs to channel
 *   {@code (i / inner) mod C}. Per-channel partial sums are kept per task and added at the end.</li>
 * </ul>
 */
final class CpuGeometry {

    /** Values per tile in planes mode; 4 KiB of floats: tile, lanes and parameters stay in the L1 cache. */
    static final int PLANE_TILE = 1024;
    /** Smallest contiguous run per channel (H·W) handled as planes; shorter runs are handled as rows. */
    static final int PLANE_MIN = 32;
    /** Smallest super-row length in rows mode (so that vector loops over a segment are long enough). */
    static final int ROW_MIN = 256;
    /** Below this many values a pass runs on the calling thread only (waking workers costs more). */
    static final long SERIAL_BELOW = 1 << 15;
    /** Tasks per thread, for load balance on cores shared with other work. */
    static final int TASKS_PER_THREAD = 4;

    final int outer;
    final int features;
    final int inner;
    final boolean planes;
    final boolean parallel;
    /** Tasks of the pass; in planes mode {@code features · splits}. */
    final int tasks;
    /** Planes mode: number of image ranges per channel. */
    final int splits;
    /** Rows mode: rows per segment. */
    final int rowsPerSegment;
    /** Lanes (values per segment at most). */
    final int lanes;

    private CpuGeometry(int outer, int features, int inner, int threads) {
        this.outer = outer;
        this.features = features;
        this.inner = inner;
        long length = (long) outer * features * inner;
        this.parallel = threads > 1 && length >= SERIAL_BELOW;
        int wanted = parallel ? threads * TASKS_PER_THREAD : 1;
        this.planes = inner >= PLANE_MIN;
        if (planes) {
            this.splits = (int) Math.max(1, Math.min(outer, ceilDiv(wanted, features)));
            this.tasks = features * splits;
            this.rowsPerSegment = 0;
            this.lanes = Math.min(PLANE_TILE, inner);
        } else {
            int rowLength = features * inner;
            int rows = (int) Math.min(outer, Math.max(1, ceilDiv(ROW_MIN, rowLength)));
            long segments = ceilDiv(outer, rows);
            this.splits = 1;
            this.rowsPerSegment = rows;
            this.tasks = (int) Math.max(1, Math.min(wanted, segments));
            this.lanes = rows * rowLength;
        }
    }

    /** The geometry of {@code x} (C order, at most {@code Integer.MAX_VALUE} values) in the given layout. */
    static CpuGeometry of(INDArray x, FeatureLayout layout, int threads) {
        long[] s = x.shape();
        switch (layout) {
            case DENSE:
                return new CpuGeometry((int) s[0], (int) s[1], 1, threads);
            case NCHW:
                return new CpuGeometry((int) s[0], (int) s[1], (int) (s[2] * s[3]), threads);
            case NHWC:
                return new CpuGeometry((int) (s[0] * s[1] * s[2]), (int) s[3], 1, threads);
            default:
                throw new IllegalArgumentException("unknown layout " + layout);
        }
    }

    /** Values per feature, {@code m = outer · inner}. */
    long valuesPerFeature() {
        return (long) outer * inner;
    }

    /** Rows mode: the channel of lane {@code i}. */
    int channelOfLane(int lane) {
        return (lane / inner) % features;
    }

    /** Planes mode: the channel of a task. */
    int channelOfTask(int task) {
        return task / splits;
    }

    /** First outer index of a task (planes: images of its channel; rows: rows). */
    int firstOuter(int task) {
        if (planes) {
            return (int) ((long) (task % splits) * outer / splits);
        }
        long segments = ceilDiv(outer, rowsPerSegment);
        return (int) Math.min(outer, (long) task * segments / tasks * rowsPerSegment);
    }

    /** End (exclusive) of the outer range of a task. */
    int endOuter(int task) {
        if (planes) {
            return (int) ((long) (task % splits + 1) * outer / splits);
        }
        long segments = ceilDiv(outer, rowsPerSegment);
        return (int) Math.min(outer, (long) (task + 1) * segments / tasks * rowsPerSegment);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
