package org.bn4j.conv;

/** {@link GradientCheckTest} with every batch split over two threads ({@link ConvolutionThreads#force}). */
class GradientCheckSplitTest extends GradientCheckTest {

    @Override
    int threads() {
        return 2;
    }
}
