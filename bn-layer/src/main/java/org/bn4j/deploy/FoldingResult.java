package org.bn4j.deploy;

import java.util.Collections;
import java.util.List;

/**
 * The outcome of {@link BatchNormFolding#fold}: the new network, which batch-normalization layers were folded into
 * which layer, and which stayed and why.
 *
 * @param <N> MultiLayerNetwork or ComputationGraph
 */
public final class FoldingResult<N> {

    /** A batch-normalization layer folded into the ConvolutionLayer or DenseLayer {@code into}. */
    public record Folded(String batchNorm, String into) {
        @Override
        public String toString() {
            return batchNorm + " -> folded into " + into;
        }
    }

    /** A batch-normalization layer kept (as its per-feature linear map at inference), and why it was not folded. */
    public record Unfolded(String batchNorm, String reason) {
        @Override
        public String toString() {
            return batchNorm + " -> kept: " + reason;
        }
    }

    private final N network;
    private final List<Folded> folded;
    private final List<Unfolded> unfolded;
    private final List<String> converted;

    FoldingResult(N network, List<Folded> folded, List<Unfolded> unfolded, List<String> converted) {
        this.network = network;
        this.folded = Collections.unmodifiableList(folded);
        this.unfolded = Collections.unmodifiableList(unfolded);
        this.converted = Collections.unmodifiableList(converted);
    }

    /** The new network (the original is unchanged). */
    public N network() {
        return network;
    }

    /** Layers that were folded, in network order. */
    public List<Folded> folded() {
        return folded;
    }

    /** Layers that stayed, with the reason, in network order. */
    public List<Unfolded> unfolded() {
        return unfolded;
    }

    /**
     * Layers that were bn4j {@link Dl4jEquivalentLayer}s (such as bn-conv's FastConvolution) and are DL4J's own class
     * in the new network, in network order.
     */
    public List<String> converted() {
        return converted;
    }

    /** True when no batch-normalization layer is left in the new network. */
    public boolean isFullyFolded() {
        return unfolded.isEmpty();
    }

    /** One line per batch-normalization layer. */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append("Batch-normalization folding: ").append(folded.size()).append(" folded, ").append(unfolded.size())
                .append(" kept\n");
        for (Folded f : folded) {
            sb.append("  ").append(f).append('\n');
        }
        for (Unfolded u : unfolded) {
            sb.append("  ").append(u).append('\n');
        }
        for (String c : converted) {
            sb.append("  ").append(c).append(" -> converted to its DL4J class\n");
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return report();
    }
}
