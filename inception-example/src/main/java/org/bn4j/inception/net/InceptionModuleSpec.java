package org.bn4j.inception.net;

import org.deeplearning4j.nn.conf.layers.PoolingType;

/**
 * One row of the BN-Inception table (Ioffe &amp; Szegedy 2015, appendix, Figure 5): the filter counts of the four
 * branches of an inception module at width 1.
 *
 * <p>Branches: a 1×1 convolution; a 1×1 reduction then a 3×3 convolution; a 1×1 reduction then two stacked 3×3
 * convolutions (the "double 3×3" that replaces GoogLeNet's 5×5); and a 3×3 pooling followed by a 1×1 projection. A
 * stride-2 module (3c, 4e) has no 1×1 branch, applies stride 2 in the last convolution of each 3×3 branch, and passes
 * the max-pooled input through unprojected.
 *
 * @param name              module name as in the paper, e.g. {@code "3a"}
 * @param oneByOne          filters of the 1×1 branch (0 for stride-2 modules)
 * @param reduce3x3         filters of the 1×1 reduction before the 3×3 branch
 * @param conv3x3           filters of the 3×3 branch
 * @param reduceDouble3x3   filters of the 1×1 reduction before the double-3×3 branch
 * @param double3x3         filters of each of the two 3×3 convolutions of the double-3×3 branch
 * @param pooling           pooling of the pool branch (average or max, per the paper's table)
 * @param poolProjection    filters of the 1×1 projection after pooling (0: pass-through, stride-2 modules)
 * @param stride2           true for the modules that halve the resolution (3c, 4e)
 */
public record InceptionModuleSpec(String name, int oneByOne, int reduce3x3, int conv3x3, int reduceDouble3x3,
                                  int double3x3, PoolingType pooling, int poolProjection, boolean stride2) {

    /** Output channels at width 1 given the module's input channels (the pass-through keeps them). */
    public int outputChannels(int inputChannels) {
        int pool = poolProjection > 0 ? poolProjection : inputChannels;
        return oneByOne + conv3x3 + double3x3 + pool;
    }
}
