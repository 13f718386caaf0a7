package org.bn4j.inception.train;

/**
 * One validation of a running network: its accuracy on the validation images after {@code step} training steps.
 *
 * @param step     iterations done when the network was evaluated
 * @param accuracy fraction of the validation images classified correctly
 */
public record Validation(long step, double accuracy) {
}
