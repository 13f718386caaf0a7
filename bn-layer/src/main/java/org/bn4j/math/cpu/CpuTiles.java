package org.bn4j.math.cpu;

import java.nio.Buffer;
import java.util.Arrays;

/**
 * Per-thread scratch of a {@link CpuKernels} pass and the four inner loops, each over one contiguous segment of
 * {@code n ≤ lanes} values starting at {@code pos}, with per-lane parameters {@code a, b, c, d}; the sums go to
 * lane {@code i} of one block of lanes (a channel's own block in planes mode, the only block in rows mode):
 * <pre>
 *   moments:       s1[block][i] += x − a,   s2[block][i] += (x − a)²
 *   gradientSums:  s1[block][i] += dy,      s2[block][i] += dy·(x − a)
 *   affine:        out = (x − a)·b + c
 *   gradientMap:   out = dy·b + (x − a)·c + d
 * </pre>
 * The lane sums {@code s1, s2} end in double precision ({@link #sum1}, {@link #sum2}) after {@link #finish}.
 *
 * <p>NOTE: each segment is copied with one bulk {@code get} from ND4J's native memory (a direct NIO buffer) into a
 * small Java array, computed there and written back with one bulk {@code put}. HotSpot's C2 vectorizes
 * (SIMD) simple loops over Java arrays but not index loops over direct buffers such as
 * {@code out.put(i, f(x.get(i)))}, and the copy stays in the L1 cache (the kernels' overall speed is in
 * docs/benchmarks.md; this choice alone is not benchmarked separately).
 * Parameters are per lane in rows mode (NHWC/dense, lane → channel) so that the loops stay plain element-wise
 * array loops, the form C2 vectorizes; in planes mode (NCHW, one channel per segment) they are scalars, which saves
 * three loads per element.
 *
 * <p>NOTE: each block of lanes is its own array, indexed from 0 like the segment. With one flat lane array and a
 * loop over {@code s1[lane0 + i]}, C2 (JDK 17) left the reductions scalar: on a [32, 64, 56, 56] float array the
 * moments pass took 6.7 ms instead of 2.1 and the gradient sums 9.7 instead of 3.4, one thread (these figures
 * include the second float level of {@link CpuFloatTiles}; bn-benchmarks {@code KernelPassTimes},
 * docs/benchmarks/kernel-pass-times-2026-12-07-s4.txt).
 */
abstract class CpuTiles {

    /** Double-precision lane sums per block; the float implementation flushes its float lanes into them. */
    protected double[][] d1 = new double[0][0];
    protected double[][] d2 = new double[0][0];
    /** The buffers of the pass being run, of the implementation's element type ({@code y}, {@code out} may be null). */
    protected Buffer x;
    protected Buffer y;
    protected Buffer out;
    /** True when every lane has the same parameters (planes mode): the loops then use scalars. */
    protected boolean uniform;
    private int blockCapacity;
    private int laneCapacity;

    /** Makes room for {@code blocks} blocks of {@code lanes} lanes. */
    final void reserve(int blocks, int lanes) {
        if (blocks > blockCapacity || lanes > laneCapacity) {
            blockCapacity = Math.max(blocks, blockCapacity);
            laneCapacity = Math.max(lanes, laneCapacity);
            d1 = new double[blockCapacity][laneCapacity];
            d2 = new double[blockCapacity][laneCapacity];
            grow(blockCapacity, laneCapacity);
        }
    }

    /** Sets the first {@code n} lane sums of the first {@code blocks} blocks to zero. */
    void clearLanes(int blocks, int n) {
        for (int b = 0; b < blocks; b++) {
            Arrays.fill(d1[b], 0, n, 0.0);
            Arrays.fill(d2[b], 0, n, 0.0);
        }
    }

    /** Double-precision total of the first sum of lane {@code lane} of a block, valid after {@link #finish}. */
    final double sum1(int block, int lane) {
        return d1[block][lane];
    }

    final double sum2(int block, int lane) {
        return d2[block][lane];
    }

    /** Allocates the tiles and lanes of the implementation for {@code blocks} blocks of {@code lanes} lanes. */
    protected abstract void grow(int blocks, int lanes);

    /** Attaches the buffers of one pass ({@code y}, {@code out} may be null); {@link #unbind} releases them. */
    final void bind(Buffer x, Buffer y, Buffer out) {
        this.x = x;
        this.y = y;
        this.out = out;
    }

    final void unbind() {
        x = null;
        y = null;
        out = null;
    }

    /** Sets the parameters of one lane (rows mode); the loops then read per-lane parameter arrays. */
    abstract void setParams(int lane, double a, double b, double c, double d);

    /** Gives all lanes the same parameters (planes mode); the loops then use scalars. */
    abstract void fillParams(double a, double b, double c, double d);

    /**
     * Ends a run of at most {@link CpuPasses#FLUSH_EVERY} segments: moves the loops' partial lane sums of the first
     * {@code n} lanes of the first {@code blocks} blocks towards the double lanes.
     */
    abstract void flush(int blocks, int n);

    /** Moves every partial lane sum of the first {@code n} lanes of the first {@code blocks} blocks into double. */
    abstract void finish(int blocks, int n);

    abstract void moments(int pos, int n, int block);

    abstract void gradientSums(int pos, int n, int block);

    abstract void affine(int pos, int n);

    abstract void gradientMap(int pos, int n);

    /** {@code out = y} where {@code (x − a)·b + c > 0}, else 0 (the mask of a ReLU applied to the affine map). */
    abstract void reluGradient(int pos, int n);
}
