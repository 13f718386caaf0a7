package org.bn4j.inception.data;

import java.nio.file.Path;

/**
 * One image file and its class: the name of the folder it sits in.
 *
 * @param file  the image file
 * @param label the class folder name
 */
public record LabeledImage(Path file, String label) {
}
