package org.bn4j.inception.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYCOLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * Decodes a file with OpenCV, the decoder DataVec's ImageRecordReader uses, to tell whether training could read it
 * and how many channels it has. Costs one full decode per file.
 */
public final class ImageFileCheck {

    /** Outcome: {@code channels > 0} for a readable image, otherwise {@code problem} says why not. */
    public record Result(Path file, int channels, String problem) {
        /** True when the file decoded as an image. */
        public boolean readable() {
            return problem == null;
        }
    }

    private ImageFileCheck() {
    }

    /** Decodes {@code file}; never throws for a bad file, only reports it. */
    public static Result check(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return new Result(file, 0, "cannot read: " + e.getMessage());
        }
        if (bytes.length == 0) {
            return new Result(file, 0, "empty file");
        }
        try (BytePointer pointer = new BytePointer(bytes);
             Mat buffer = new Mat(1, bytes.length, org.bytedeco.opencv.global.opencv_core.CV_8UC1, pointer);
             Mat image = imdecode(buffer, IMREAD_ANYDEPTH | IMREAD_ANYCOLOR)) {
            if (image == null || image.empty()) {
                return new Result(file, 0, "not a decodable image");
            }
            return new Result(file, image.channels(), null);
        }
    }
}
