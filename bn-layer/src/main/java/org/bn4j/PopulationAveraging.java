package org.bn4j;

/**
 * How a {@link BatchNorm} layer accumulates its population statistics E[x] and Var[x] during training.
 *
 * <p>Both variants feed on the <em>unbiased</em> batch variance {@code m/(m-1)·σ²_B} (the paper's Algorithm 2,
 * step 10; PyTorch does the same), where {@code m} is the number of values per feature in the mini-batch.
 *
 * <ul>
 *   <li>{@link #MOVING_AVERAGE}: {@code pop ← decay·pop + (1 − decay)·batch}. Recent batches dominate; this follows
 *       the network while it trains. {@code decay = 1 − momentum} of PyTorch.</li>
 *   <li>{@link #CUMULATIVE}: {@code pop ← pop + (batch − pop)/(n + 1)}, {@code n} = batches seen since the
 *       statistics were last reset: the plain average of every training batch (PyTorch's {@code momentum=None}).
 *       The initial values (0 and 1) carry no weight: the first batch replaces them.</li>
 * </ul>
 */
public enum PopulationAveraging {
    /** Exponential moving average with the layer's {@code decay}. */
    MOVING_AVERAGE,
    /** Plain (cumulative) average of every training batch since the last reset. */
    CUMULATIVE
}
