package org.bn4j.inception.search;

import org.bn4j.arbiter.BatchNormLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.AbstractParameterSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
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
                batchNorm.getValue(values), BatchNormSettings.of(batchNormLayer.getValue(values)));
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

    /** Builder; every option has the default stated on its setter. */
    public static final class Builder {
        private ParameterSpace<Double> learningRate = new ContinuousParameterSpace(
                new LogUniformDistribution(0.001, 0.1));
        private ParameterSpace<Double> decayAcceleration = new DiscreteParameterSpace<>(1.0, 6.0);
        private ParameterSpace<Double> l2 = new ContinuousParameterSpace(new LogUniformDistribution(1e-5, 1e-3));
        private ParameterSpace<Integer> batchSize = new FixedValue<>(64);
        private ParameterSpace<Double> widthMultiplier = new FixedValue<>(0.25);
        private ParameterSpace<Boolean> batchNorm = new DiscreteParameterSpace<>(true, false);
        private BatchNormLayerSpace batchNormLayer = new BatchNormLayerSpace.Builder().build();

        /** Initial learning rate. Defaults to log-uniform in [0.001, 0.1]. */
        public Builder learningRate(ParameterSpace<Double> learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** Decay acceleration relative to GoogLeNet's 8-epoch decay period. Defaults to one of {1, 6}. */
        public Builder decayAcceleration(ParameterSpace<Double> decayAcceleration) {
            this.decayAcceleration = decayAcceleration;
            return this;
        }

        /** L2 weight decay. Defaults to log-uniform in [1e-5, 1e-3]. */
        public Builder l2(ParameterSpace<Double> l2) {
            this.l2 = l2;
            return this;
        }

        /** Mini-batch size. Defaults to 64. */
        public Builder batchSize(ParameterSpace<Integer> batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Width multiplier of the network. Defaults to 0.25. */
        public Builder widthMultiplier(ParameterSpace<Double> widthMultiplier) {
            this.widthMultiplier = widthMultiplier;
            return this;
        }

        /**
         * Batch normalization on (true) or off (false). Defaults to both, as a {@link DiscreteParameterSpace} (grid
         * search would cut Arbiter's BooleanSpace into as many points as a continuous range, repeating values).
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
