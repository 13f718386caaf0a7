package org.bn4j.inception.cli;

import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.net.Stem;
import picocli.CommandLine.Option;

/** Command-line options that shape the network input: image size, channels and stem (shared by train and search). */
public class InputShapeMixin {

    @Option(names = "--image-size", defaultValue = "28",
            description = "Images are resized to this square size (default: ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--channels", defaultValue = "0",
            description = "Network input channels, 1 or 3; 0 = 1 if every image is grey, else 3 (default).")
    int channels;

    @Option(names = "--stem", defaultValue = "AUTO",
            description = "IMAGENET, SMALL or AUTO (small up to 64 px; default: ${DEFAULT-VALUE}).")
    Stem stem;

    /** Square input size in pixels. */
    public int imageSize() {
        return imageSize;
    }

    /** Requested input channels; 0 means "decide from the data". */
    public int channels() {
        return channels;
    }

    /** The network stem. */
    public Stem stem() {
        return stem;
    }

    /** Input channels for {@code data}: as requested, else 1 when every image is grey and 3 otherwise. */
    public int channelsFor(ImageFolderData data) {
        if (channels != 0) {
            return channels;
        }
        return data.inputChannels();
    }
}
