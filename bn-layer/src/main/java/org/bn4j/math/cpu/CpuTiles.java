package org.bn4j.math.cpu;

import java.nio.Buffer;
import java.util.Arrays;

/**
 * Per-thread scratch of a {@link CpuKernels} pass and the four inner loops, each over one contiguous segment of
 * {@code n ≤ lanes} values starting at {@code pos}, with per-lane parameters {@code a, b, c, d}; the sums go to
 * lanes {@code lane0 + i}:
 * <pre>
 *   moments:       s1[lane0 + i] += x − a,   s2[lane0 + i] += (x − a)²
 *   gradientSums:  s1[lane0 + i] += dy,      s2[lane0 + i] += dy·(x − a)
 *   affine:        out = (x − a)·b + c
 *   gradientMap:   out = dy·b + (x − a)·c + d
 * </pre>
 * The lane sums {@code s1, s2} end in double precision ({@link #sum1}, {@link #sum2}) after {@link #flush}.
 *
 * <p>NOTE: each segment is copied with one bulk {@code get} from ND4J's native memory (a direct NIO buffer) into a
 * small Java array, computed there and written back with one bulk {@code put}. HotSpot's C2 vectorizes
 * (SIMD) simple loops over Java arrays but not index loops over direct buffers such as
 * {@code out.put(i, f(x.get(i)))}, and the copy stays in the L1 cache (the kernels' overall speed is in
 * docs/benchmarks.md; this choice alone is not benchmarked separately).
 * Parameters are per lane in rows mode (NHWC/dense, lane → channel) so that the loops stay plain element-wise
 * array loops, the form C2 vectorizes; in planes mode (NCHW, one channel per segment) they are scalars, which saves
 * three loads per element.
 */
abstract class CpuTiles {

    /** Double-precision lane sums; the float implementation flushes its float lanes into them. */
    protected double[] d1 = new double[0];
    protected double[] d2 = new double[0];
    /** The buffers of the pass being run, of the implementation's element type ({@code y}, {@code out} may be null). */
    protected Buffer x;
    protected Buffer y;
    protected Buffer out;
    /** True when every lane has the same parameters (planes mode): the loops then use scalars. */
    protected boolean uniform;
    private int capacity;

    /** Makes room for {@code lanes} lanes. */
    final void reserve(int lanes) {
        if (lanes > capacity) {
            d1 = new double[lanes];
            d2 = new double[lanes];
            grow(lanes);
            capacity = lanes;
        }
    }

    /** Sets all lane sums of the first {@code n} lanes to zero. */
    void clearLanes(int n) {
        Arrays.fill(d1, 0, n, 0.0);
        Arrays.fill(d2, 0, n, 0.0);
    }

    /** Double-precision total of the first sum of lane {@code i}, valid after {@link #flush}. */
    final double sum1(int lane) {
        return d1[lane];
    }

    final double sum2(int lane) {
        return d2[lane];
    }

    /** Allocates the tiles and lanes of the implementation for {@code lanes} lanes. */
    protected abstract void grow(int lanes);

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

    /** Moves partial lane sums of the first {@code n} lanes into the double lanes. */
    abstract void flush(int n);

    abstract void moments(int pos, int n, int lane0);

    abstract void gradientSums(int pos, int n, int lane0);

    abstract void affine(int pos, int n);

    abstract void gradientMap(int pos, int n);

    /** {@code out = y} where {@code (x − a)·b + c > 0}, else 0 (the mask of a ReLU applied to the affine map). */
    abstract void reluGradient(int pos, int n);
}
