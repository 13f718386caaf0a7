package org.bn4j.inception.data;

import org.bytedeco.opencv.opencv_core.Mat;
import org.datavec.image.loader.NativeImageLoader;
import org.datavec.image.transform.ImageTransform;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;

import static org.bytedeco.opencv.global.opencv_core.CV_16U;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;

/**
 * DataVec's {@link NativeImageLoader} (OpenCV), but 16-bit images are brought to the 8-bit range first, so that every
 * image reaches the network on the same 0-255 scale that the [0, 1] scaler expects.
 *
 * <p>NativeImageLoader decodes with {@code IMREAD_ANYDEPTH}: a 16-bit PNG keeps its 0-65535 values and, divided by
 * 255 like an 8-bit image, reaches the network at up to 257 instead of 1. Here each 16-bit value v becomes
 * round(v / 257), the 8-bit value of the same brightness (a 16-bit image written as v8 × 257 gives back exactly v8).
 */
public final class BitDepthImageLoader extends NativeImageLoader {

    /** Images resized to {@code height} × {@code width} with {@code channels} channels, as NativeImageLoader. */
    public BitDepthImageLoader(long height, long width, long channels) {
        super(height, width, channels);
    }

    /** As {@link #BitDepthImageLoader(long, long, long)}, each image then transformed by {@code transform}. */
    public BitDepthImageLoader(long height, long width, long channels, ImageTransform transform) {
        super(height, width, channels, transform);
    }

    @Override
    public INDArray asMatrix(Mat image) throws IOException {
        if (image.depth() != CV_16U) {
            return super.asMatrix(image);
        }
        try (Mat eightBit = toEightBit(image)) {
            return super.asMatrix(eightBit);
        }
    }

    @Override
    public void asMatrixView(Mat image, INDArray view) throws IOException {
        if (image.depth() != CV_16U) {
            super.asMatrixView(image, view);
            return;
        }
        try (Mat eightBit = toEightBit(image)) {
            super.asMatrixView(eightBit, view);
        }
    }

    private static Mat toEightBit(Mat sixteenBit) {
        Mat eightBit = new Mat();
        sixteenBit.convertTo(eightBit, CV_8U, 1.0 / 257, 0);
        return eightBit;
    }
}
