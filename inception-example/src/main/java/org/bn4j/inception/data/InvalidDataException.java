package org.bn4j.inception.data;

import org.bn4j.inception.UserError;

/** A problem with the user's image folders (missing path, empty class, mismatched classes, bad files in strict mode). */
public class InvalidDataException extends UserError {

    /** An error whose message tells the user what to fix. */
    public InvalidDataException(String message) {
        super(message);
    }
}
