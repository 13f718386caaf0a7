package org.bn4j.inception.data;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYCOLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

/**
 * Decodes a file with OpenCV, the decoder DataVec's ImageRecordReader uses, to tell whether training could read it
 * and how many channels it has. Costs one full decode per file (two for a JPEG: truncation is checked with libjpeg's own
 * warnings, which OpenCV does not pass on).
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
            String damage = isJpeg(bytes) ? jpegDamage(bytes) : null;
            return damage == null ? new Result(file, image.channels(), null) : new Result(file, 0, damage);
        }
    }

    private static boolean isJpeg(byte[] bytes) {
        return bytes.length > 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
    }

    /**
     * What libjpeg reports about a JPEG that OpenCV decoded: OpenCV ignores libjpeg's warnings and leaves the rows
     * after a truncation uninitialized, so the same file is decoded again by the JDK's libjpeg with a warning
     * listener. Null when it decodes whole; a reason when libjpeg reports missing data or fails. Other warnings
     * (e.g. extraneous bytes between markers, common in real data sets and harmless) are not counted as damage.
     */
    private static String jpegDamage(byte[] bytes) {
        ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
        List<String> warnings = new ArrayList<>();
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input);
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            reader.readRaster(0, null);
        } catch (IOException | RuntimeException e) {
            if (String.valueOf(e.getMessage()).startsWith("Unsupported")) {
                return null;                          // a JPEG kind the JDK cannot read but OpenCV did
            }
            return "corrupt JPEG data: " + e.getMessage();
        } finally {
            reader.dispose();
        }
        return warnings.stream().filter(w -> w.startsWith("Truncated") || w.contains("Premature end"))
                .findFirst().map(w -> "truncated JPEG (" + w + ")").orElse(null);
    }
}
