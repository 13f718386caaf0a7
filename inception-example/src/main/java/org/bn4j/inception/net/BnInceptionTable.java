package org.bn4j.inception.net;

import org.deeplearning4j.nn.conf.layers.PoolingType;

import java.util.List;

/**
 * The inception modules of BN-Inception exactly as listed in Ioffe &amp; Szegedy 2015, appendix, Figure 5 (width 1).
 *
 * <p>At 224×224 input, modules 3a–3c see 28×28, 4a–4e 14×14 and 5a–5b 7×7 feature maps; output depths are 256, 320,
 * 576 | 576, 576, 608, 608, 1056 | 1024, 1024.
 */
public final class BnInceptionTable {

    /** Channels produced by the paper's stem (7×7/2 conv 64, max pool, 1×1 conv 64, 3×3 conv 192, max pool). */
    public static final int STEM_OUTPUT_CHANNELS = 192;

    /** Modules 3a to 5b in network order. */
    public static final List<InceptionModuleSpec> MODULES = List.of(
            module("3a", 64, 64, 64, 64, 96, PoolingType.AVG, 32),
            module("3b", 64, 64, 96, 64, 96, PoolingType.AVG, 64),
            stride2("3c", 128, 160, 64, 96),
            module("4a", 224, 64, 96, 96, 128, PoolingType.AVG, 128),
            module("4b", 192, 96, 128, 96, 128, PoolingType.AVG, 128),
            module("4c", 160, 128, 160, 128, 160, PoolingType.AVG, 128),
            module("4d", 96, 128, 192, 160, 192, PoolingType.AVG, 128),
            stride2("4e", 128, 192, 192, 256),
            module("5a", 352, 192, 320, 160, 224, PoolingType.AVG, 128),
            module("5b", 352, 192, 320, 192, 224, PoolingType.MAX, 128));

    private BnInceptionTable() {
    }

    private static InceptionModuleSpec module(String name, int oneByOne, int reduce3x3, int conv3x3,
                                              int reduceDouble, int double3x3, PoolingType pooling, int projection) {
        return new InceptionModuleSpec(name, oneByOne, reduce3x3, conv3x3, reduceDouble, double3x3, pooling,
                projection, false);
    }

    private static InceptionModuleSpec stride2(String name, int reduce3x3, int conv3x3, int reduceDouble,
                                               int double3x3) {
        return new InceptionModuleSpec(name, 0, reduce3x3, conv3x3, reduceDouble, double3x3, PoolingType.MAX, 0,
                true);
    }
}
