package org.bn4j.conv;

/**
 * {@link Dl4jDifferentialTest} with every batch split over two threads ({@link ConvolutionThreads#force}): the
 * cases have 2 or 3 examples, so the slices hold 1 and 1 or 1 and 2 examples; dL/dW and dL/db are then sums of two
 * slices' gradients and must still equal DL4J's.
 */
class Dl4jDifferentialSplitTest extends Dl4jDifferentialTest {

    @Override
    int threads() {
        return 2;
    }
}
