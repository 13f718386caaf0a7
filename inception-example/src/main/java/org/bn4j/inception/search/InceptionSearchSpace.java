package org.bn4j.inception.search;

import org.bn4j.arbiter.BatchNormLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;

/**
 * Arbiter search space over the BN-Inception recipe: initial learning rate, decay acceleration, L2, batch size, width
 * multiplier, BN on or off, and the BatchNorm layers' own options through a {@link BatchNormLayerSpace}. Each point
 * is a {@link SearchCandidate}; random search samples the spaces, grid search discretizes them (a log-uniform range
 * gives log-spaced grid values).
 */
public class InceptionSearchSpace extends AbstractParameterSpace<SearchCandidate> {

    private ParameterSpace<Double> learningRate;
    private ParameterSpace<Double> decayAcceleration;
    private ParameterSpace<Double> l2;
    private ParameterSpace<Integer> batchSize;
    private ParameterSpace<Double> widthMultiplier;
    private ParameterSpace<Boolean> batchNorm;
    private BatchNormLayerSpace batchNormLayer;
    private int numParameters;

    private InceptionSearchSpace(Builder builder) {
        this.learningRate = builder.learningRate;
        this.decayAcceleration = builder.decayAcceleration;
        this.l2 = builder.l2;
        this.batchSize = builder.batchSize;
        this.widthMultiplier = builder.widthMultiplier;
        this.batchNorm = builder.batchNorm;
        this.batchNormLayer = builder.batchNormLayer;
        this.numParameters = LeafUtils.countUniqueParameters(collectLeaves());
    }

    @Override
    public SearchCandidate getValue(double[] values) {
        return new SearchCandidate(learningRate.getValue(values), decayAcceleration.getValue(values),
                l2.getValue(values), batchSize.getValue(values), widthMultiplier.getValue(values),
                batchNorm.getValue(values), SearchCandidate.BatchNormSettings.of(batchNormLayer.getValue(values)));
    }

    @Override
    public int numParameters() {
        return numParameters;
    }

    /** The leaf spaces, depth first (as Arbiter's layer spaces collect them). */
    @Override
    public List<ParameterSpace> collectLeaves() {
        LinkedList<ParameterSpace> stack = new LinkedList<>();
        stack.add(this);
        List<ParameterSpace> leaves = new ArrayList<>();
        while (!stack.isEmpty()) {
            ParameterSpace next = stack.removeLast();
            if (next.isLeaf()) {
                leaves.add(next);
            } else {
                List<ParameterSpace> nested = new ArrayList<>(((Map<String, ParameterSpace>) next.getNestedSpaces())
                        .values());
                for (int i = nested.size() - 1; i >= 0; i--) {
                    stack.add(nested.get(i));
                }
            }
        }
        return leaves;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("a composite space has no index of its own");
    }

    @Override
    public String toString() {
        return "InceptionSearchSpace(learningRate=" + learningRate + ", decayAcceleration=" + decayAcceleration
                + ", l2=" + l2 + ", batchSize=" + batchSize + ", widthMultiplier=" + widthMultiplier + ", batchNorm="
                + batchNorm + ", " + batchNormLayer + ")";
    }

    /** Default learning-rate space (command-line syntax of {@link SpaceSyntax}): log-uniform in [0.001, 0.1]. */
    public static final String DEFAULT_LEARNING_RATE = "0.001:0.1";
    /** Default decay accelerations: one of 1 (GoogLeNet's schedule) and 6 (the paper's BN-x5). */
    public static final String DEFAULT_DECAY_ACCELERATION = "1,6";
    /** Default L2 space: log-uniform in [1e-5, 1e-3]. */
    public static final String DEFAULT_L2 = "0.00001:0.001";
    /** Default mini-batch size. */
    public static final String DEFAULT_BATCH_SIZE = "64";
    /** Default width multiplier. */
    public static final String DEFAULT_WIDTH = "0.25";
    /** Default BN switch: searched (on and off). */
    public static final String DEFAULT_BATCH_NORM = "both";

    /** Builder; every option defaults to the constant of the same name ({@code DEFAULT_...}). */
    public static final class Builder {
        private ParameterSpace<Double> learningRate = SpaceSyntax.logRange(DEFAULT_LEARNING_RATE, "--lr");
        private ParameterSpace<Double> decayAcceleration = SpaceSyntax.doubles(DEFAULT_DECAY_ACCELERATION,
                "--decay-acceleration");
        private ParameterSpace<Double> l2 = SpaceSyntax.logRange(DEFAULT_L2, "--l2");
        private ParameterSpace<Integer> batchSize = SpaceSyntax.integers(DEFAULT_BATCH_SIZE, "--batch-sizes");
        private ParameterSpace<Double> widthMultiplier = SpaceSyntax.doubles(DEFAULT_WIDTH, "--widths");
        private ParameterSpace<Boolean> batchNorm = SpaceSyntax.bool(DEFAULT_BATCH_NORM, "--batch-norm");
        private BatchNormLayerSpace batchNormLayer = new BatchNormLayerSpace.Builder().build();

        /** Initial learning rate. Defaults to {@link #DEFAULT_LEARNING_RATE}. */
        public Builder learningRate(ParameterSpace<Double> learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Decay acceleration over GoogLeNet's 8-epoch period. Defaults to {@link #DEFAULT_DECAY_ACCELERATION}. */
        public Builder decayAcceleration(ParameterSpace<Double> decayAcceleration) {
            this.decayAcceleration = decayAcceleration;
            return this;
        }

        /** L2 weight decay. Defaults to {@link #DEFAULT_L2}. */
        public Builder l2(ParameterSpace<Double> l2) {
            this.l2 = l2;
            return this;
        }

        /** Mini-batch size. Defaults to {@link #DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(ParameterSpace<Integer> batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Width multiplier of the network. Defaults to {@link #DEFAULT_WIDTH}. */
        public Builder widthMultiplier(ParameterSpace<Double> widthMultiplier) {
            this.widthMultiplier = widthMultiplier;
            return this;
        }

        /**
         * Batch normalization on (true) or off (false). Defaults to {@link #DEFAULT_BATCH_NORM}: both, as a discrete
         * choice (grid search would cut Arbiter's BooleanSpace into as many points as a continuous range, repeating
         * values).
         */
        public Builder batchNorm(ParameterSpace<Boolean> batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /** Options of every BatchNorm layer (ε, decay, averaging, γ/β). Defaults to BatchNorm's defaults. */
        public Builder batchNormLayer(BatchNormLayerSpace batchNormLayer) {
            this.batchNormLayer = batchNormLayer;
            return this;
        }

        /** The space. */
        public InceptionSearchSpace build() {
            return new InceptionSearchSpace(this);
        }
    }
}
