package org.bn4j.inception.data;

/** A problem with the user's image folders (missing path, empty class, mismatched classes, bad files in strict mode). */
public class InvalidDataException extends RuntimeException {

    /** An error whose message tells the user what to fix. */
    public InvalidDataException(String message) {
        super(message);
    }
}
