package org.bn4j.inception;

/**
 * A mistake of the person running the application (a bad option value, a missing file, data that does not fit): the
 * command line prints {@code error: <message>} and exits with {@link InceptionApp#USER_ERROR}, without a stack trace.
 * Any other exception is a bug and is reported with its stack trace.
 *
 * <p>An {@link IllegalArgumentException}, so that code calling the application's classes as a library can treat it as
 * one.
 */
public class UserError extends IllegalArgumentException {

    /** An error whose message tells the user what to fix. */
    public UserError(String message) {
        super(message);
    }

    /** An error whose message tells the user what to fix, caused by {@code cause}. */
    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
