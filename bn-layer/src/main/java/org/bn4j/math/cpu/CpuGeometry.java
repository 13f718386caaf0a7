package org.bn4j.math.cpu;

import org.bn4j.math.FeatureLayout;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * How a {@link CpuKernels} pass walks a C-order input: the array seen as {@code [outer, C, inner]} (dense
 * {@code [N, C, 1]}, NCHW {@code [N, C, H·W]}, NHWC {@code [N·H·W, C, 1]}), cut into contiguous segments and
 * parallel tasks.
 *
 * <ul>
 *   <li><b>Planes</b> ({@code inner ≥ 32}, NCHW): for the reductions a task is a block of consecutive channels
 *   over a range of images; its segments are the block's {@code H·W} planes of each image (contiguous in memory),
 *   in tiles of at most {@value #PLANE_TILE} values, each channel with its own lanes. Few channel blocks (C=1) are
 *   split over images so that all cores work. For the element-wise maps a task is a contiguous range of the
 *   {@code N·C} planes, in memory order.</li>
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
    static final int ROW_MIN = 1024;
    /** Below this many values a pass runs on the calling thread only (waking workers costs more). */
    static final long SERIAL_BELOW = 1 << 17;
    /**
     * Planes mode: values of one image a reduction task reads in one contiguous run (a block of channels).
     * NOTE: one channel's plane alone (784 values for 28×28) is a short run for the hardware prefetcher, so a
     * task reads a block of channels' planes contiguously (tuned by one-off timings, not a committed benchmark).
     */
    static final int BLOCK_RUN = 8192;
    /** Tasks per thread, for load balance on cores shared with other work. */
    static final int TASKS_PER_THREAD = 8;

    final int outer;
    final int features;
    final int inner;
    final boolean planes;
    final boolean parallel;
    /** Tasks of a reduction pass (and of every pass in rows mode); in planes mode {@code blocks · splits}. */
    final int tasks;
    /** Planes mode: channels per block of a reduction task. */
    final int blockChannels;
    /** Planes mode: number of channel blocks. */
    final int blocks;
    /** Planes mode: number of image ranges per channel block. */
    final int splits;
    /** Rows mode: rows per segment. */
    final int rowsPerSegment;
    /** Lanes (values per segment at most). */
    final int lanes;
    /** Blocks of {@code lanes} lanes a reduction task needs: one per channel of a block in planes mode, else 1. */
    final int laneBlocks;
    /** Planes mode, element-wise maps: tasks, each a contiguous range of the {@code outer · features} planes. */
    final int mapTasks;

    private CpuGeometry(int outer, int features, int inner, int threads) {
        this(outer, features, inner, threads, 0);
    }

    /**
     * {@code fusedBlock > 0}: planes mode with reduction tasks of {@code fusedBlock} channels over all images (no
     * split over images), for the fused passes.
     */
    private CpuGeometry(int outer, int features, int inner, int threads, int fusedBlock) {
        this.outer = outer;
        this.features = features;
        this.inner = inner;
        this.parallel = parallel((long) outer * features * inner, threads);
        int wanted = parallel ? threads * TASKS_PER_THREAD : 1;
        this.planes = inner >= PLANE_MIN;
        if (planes) {
            int lanesPerChannel = Math.min(PLANE_TILE, inner);
            int perBlock = (int) Math.min(features, Math.max(1, ceilDiv(BLOCK_RUN, inner)));
            // keep at least `wanted` tasks when the images alone cannot be split that far
            perBlock = (int) Math.min(perBlock, Math.max(1, (long) features * outer / wanted));
            if (fusedBlock > 0) {
                perBlock = Math.min(features, fusedBlock);
            }
            this.blockChannels = perBlock;
            this.blocks = (int) ceilDiv(features, perBlock);
            this.splits = fusedBlock > 0 ? 1 : (int) Math.max(1, Math.min(outer, ceilDiv(wanted, blocks)));
            this.tasks = blocks * splits;
            this.rowsPerSegment = 0;
            this.lanes = lanesPerChannel;
            this.laneBlocks = perBlock;
            this.mapTasks = (int) Math.min(wanted, (long) outer * features);
        } else {
            int rowLength = features * inner;
            int rows = (int) Math.min(outer, Math.max(1, ceilDiv(ROW_MIN, rowLength)));
            long segments = ceilDiv(outer, rows);
            this.blockChannels = 0;
            this.blocks = 0;
            this.splits = 1;
            this.rowsPerSegment = rows;
            this.tasks = (int) Math.max(1, Math.min(wanted, segments));
            this.lanes = rows * rowLength;
            this.laneBlocks = 1;
            this.mapTasks = tasks;
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

    /**
     * The geometry of a fused pass over {@code x} (a reduction and then a map, channel block by channel block, see
     * {@link CpuKernels}), or null where there is none: planes mode only (NCHW with planes of at least
     * {@value #PLANE_MIN} values), and a block's data in the {@code arrays} arrays it reads ({@code x}, or {@code x}
     * and {@code dy}) must fit in {@code budgetBytes}. Blocks take as many channels as fit, at most as many as leave
     * {@value #TASKS_PER_THREAD} tasks per thread; each is a task over all images.
     */
    static CpuGeometry fused(INDArray x, FeatureLayout layout, int threads, int arrays, long budgetBytes) {
        if (layout != FeatureLayout.NCHW) {
            return null;
        }
        long[] s = x.shape();
        int outer = (int) s[0];
        int features = (int) s[1];
        int inner = (int) (s[2] * s[3]);
        long channelBytes = (long) outer * inner * x.dataType().width() * arrays;
        if (inner < PLANE_MIN || channelBytes > budgetBytes) {
            return null;
        }
        long fit = budgetBytes / channelBytes;
        long balanced = parallel((long) outer * features * inner, threads)
                ? Math.max(1, ceilDiv(features, (long) threads * TASKS_PER_THREAD)) : features;
        return new CpuGeometry(outer, features, inner, threads, (int) Math.min(fit, balanced));
    }

    /** Whether a pass over {@code length} values runs on several threads (see {@link #SERIAL_BELOW}). */
    private static boolean parallel(long length, int threads) {
        return threads > 1 && length >= SERIAL_BELOW;
    }

    /** Values per feature, {@code m = outer · inner}. */
    long valuesPerFeature() {
        return (long) outer * inner;
    }

    /** Rows mode: the channel of lane {@code i}. */
    int channelOfLane(int lane) {
        return (lane / inner) % features;
    }

    /** Planes mode: the first channel of a reduction task's block. */
    int firstChannel(int task) {
        return task / splits * blockChannels;
    }

    /** Planes mode: the end (exclusive) of a reduction task's channel block. */
    int endChannel(int task) {
        return Math.min(features, firstChannel(task) + blockChannels);
    }

    /** First outer index of a task (planes: images of its channel; rows: rows). */
    int firstOuter(int task) {
        if (planes) {
            return (int) ((long) (task % splits) * outer / splits);
        }
        long segments = ceilDiv(outer, rowsPerSegment);
        return (int) Math.min(outer, (long) task * segments / tasks * rowsPerSegment);
    }

    /** Planes mode, element-wise maps: first plane ({@code n·C + c}) of a map task. */
    long firstPlane(int mapTask) {
        return (long) mapTask * outer * features / mapTasks;
    }

    /** End (exclusive) of the plane range of a map task. */
    long endPlane(int mapTask) {
        return firstPlane(mapTask + 1);
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
