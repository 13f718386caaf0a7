package org.bn4j.arbiter;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.RenormSchedule;
import org.deeplearning4j.arbiter.layers.FeedForwardLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;
import org.deeplearning4j.nn.conf.CNN2DFormat;

import java.util.Objects;

/**
 * Arbiter layer space for bn4j's {@link BatchNorm}: each candidate network gets a {@code BatchNorm} layer whose ε,
 * moving-average decay, averaging mode, learned-or-fixed γ/β, Batch Renormalization (on/off and its r_max/d_max
 * schedule) and ghost batch size are drawn from this space. It plugs into Arbiter's
 * {@code MultiLayerSpace} and {@code ComputationGraphSpace} exactly like Arbiter's own {@code BatchNormalizationSpace},
 * and round-trips through their JSON/YAML.
 *
 * <pre>{@code
 * new BatchNormLayerSpace.Builder()
 *         .eps(new ContinuousParameterSpace(1e-5, 1e-3))
 *         .decay(new ContinuousParameterSpace(0.8, 0.99))
 *         .averaging(PopulationAveraging.MOVING_AVERAGE, PopulationAveraging.CUMULATIVE)
 *         .learnGammaBeta(new BooleanSpace())
 *         .batchRenorm(new BooleanSpace())
 *         .renormSchedule(RenormSchedule.of(3, 5, 500, 4000, 2500))
 *         .ghostBatchSize(new DiscreteParameterSpace<>(0, 8, 16))
 *         .build();
 * }</pre>
 *
 * <p>An option left unset keeps {@link BatchNorm.Builder}'s default (ε 1e-5, decay 0.9, moving average, learned γ/β,
 * identity activation, no renorm, no ghost batches); the other layer options (nIn/nOut, activation, updater, ...) come from Arbiter's base builder.
 * Arbiter's JSON writes the fields directly with {@code @class} type names; the enum choices come back as enums
 * because the fields declare their value type.
 */
public class BatchNormLayerSpace extends FeedForwardLayerSpace<BatchNorm> {

    protected ParameterSpace<Double> eps;
    protected ParameterSpace<Double> decay;
    protected ParameterSpace<PopulationAveraging> averaging;
    protected ParameterSpace<Boolean> learnGammaBeta;
    protected ParameterSpace<CNN2DFormat> dataFormat;
    protected ParameterSpace<Boolean> batchRenorm;
    protected ParameterSpace<RenormSchedule> renormSchedule;
    protected ParameterSpace<Integer> ghostBatchSize;

    /** For Arbiter's Jackson JSON/YAML deserialization (fields are read directly). */
    private BatchNormLayerSpace() {
    }

    private BatchNormLayerSpace(Builder builder) {
        super(builder);
        this.eps = builder.eps;
        this.decay = builder.decay;
        this.averaging = builder.averaging;
        this.learnGammaBeta = builder.learnGammaBeta;
        this.dataFormat = builder.dataFormat;
        this.batchRenorm = builder.batchRenorm;
        this.renormSchedule = builder.renormSchedule;
        this.ghostBatchSize = builder.ghostBatchSize;
        this.numParameters = LeafUtils.countUniqueParameters(collectLeaves());
    }

    @Override
    public BatchNorm getValue(double[] parameterValues) {
        BatchNorm.Builder builder = new BatchNorm.Builder();
        setLayerOptionsBuilder(builder, parameterValues);
        return builder.build();
    }

    /** Applies the base layer options, then this space's BatchNorm options, to {@code builder}. */
    protected void setLayerOptionsBuilder(BatchNorm.Builder builder, double[] values) {
        super.setLayerOptionsBuilder(builder, values);
        if (eps != null) {
            builder.eps(eps.getValue(values));
        }
        if (decay != null) {
            builder.decay(decay.getValue(values));
        }
        if (averaging != null) {
            builder.averaging(averaging.getValue(values));
        }
        if (learnGammaBeta != null) {
            builder.learnGammaBeta(learnGammaBeta.getValue(values));
        }
        if (dataFormat != null) {
            builder.dataFormat(dataFormat.getValue(values));
        }
        if (batchRenorm != null) {
            builder.batchRenorm(batchRenorm.getValue(values));
        }
        if (renormSchedule != null) {
            builder.renormSchedule(renormSchedule.getValue(values));
        }
        if (ghostBatchSize != null) {
            builder.ghostBatchSize(ghostBatchSize.getValue(values));
        }
    }

    /** Space of ε, or null for BatchNorm's default. */
    public ParameterSpace<Double> getEps() {
        return eps;
    }

    /** Space of the moving-average decay, or null for BatchNorm's default. */
    public ParameterSpace<Double> getDecay() {
        return decay;
    }

    /** Space of the population-averaging mode, or null for BatchNorm's default. */
    public ParameterSpace<PopulationAveraging> getAveraging() {
        return averaging;
    }

    /** Space of the learned (true) or fixed (false) γ/β choice, or null for BatchNorm's default. */
    public ParameterSpace<Boolean> getLearnGammaBeta() {
        return learnGammaBeta;
    }

    /** Space of the convolutional data format, or null for BatchNorm's default. */
    public ParameterSpace<CNN2DFormat> getDataFormat() {
        return dataFormat;
    }

    /** Space of the Batch Renormalization on/off choice, or null for BatchNorm's default (off). */
    public ParameterSpace<Boolean> getBatchRenorm() {
        return batchRenorm;
    }

    /** Space of the renorm r_max/d_max schedule, or null for BatchNorm's default (the paper's). */
    public ParameterSpace<RenormSchedule> getRenormSchedule() {
        return renormSchedule;
    }

    /** Space of the ghost batch size (0 = whole mini-batch), or null for BatchNorm's default (0). */
    public ParameterSpace<Integer> getGhostBatchSize() {
        return ghostBatchSize;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BatchNormLayerSpace) || !super.equals(o)) {
            return false;
        }
        BatchNormLayerSpace that = (BatchNormLayerSpace) o;
        return Objects.equals(eps, that.eps) && Objects.equals(decay, that.decay)
                && Objects.equals(averaging, that.averaging) && Objects.equals(learnGammaBeta, that.learnGammaBeta)
                && Objects.equals(dataFormat, that.dataFormat) && Objects.equals(batchRenorm, that.batchRenorm)
                && Objects.equals(renormSchedule, that.renormSchedule)
                && Objects.equals(ghostBatchSize, that.ghostBatchSize);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof BatchNormLayerSpace;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), eps, decay, averaging, learnGammaBeta, dataFormat, batchRenorm,
                renormSchedule, ghostBatchSize);
    }

    @Override
    public String toString() {
        return toString(", ");
    }

    /** Lists every option set on this space (the base class walks all nested spaces, this class's included). */
    @Override
    protected String toString(String delim) {
        return "BatchNormLayerSpace(" + super.toString(delim) + ")";
    }

    /** Builder for {@link BatchNormLayerSpace}; every option is optional and defaults to BatchNorm's own default. */
    public static class Builder extends FeedForwardLayerSpace.Builder<Builder> {
        protected ParameterSpace<Double> eps;
        protected ParameterSpace<Double> decay;
        protected ParameterSpace<PopulationAveraging> averaging;
        protected ParameterSpace<Boolean> learnGammaBeta;
        protected ParameterSpace<CNN2DFormat> dataFormat;
        protected ParameterSpace<Boolean> batchRenorm;
        protected ParameterSpace<RenormSchedule> renormSchedule;
        protected ParameterSpace<Integer> ghostBatchSize;

        /** Fixed ε. Defaults to BatchNorm's 1e-5. */
        public Builder eps(double eps) {
            return eps(new FixedValue<>(eps));
        }

        /** ε drawn from a space, e.g. {@code new ContinuousParameterSpace(1e-5, 1e-3)}. */
        public Builder eps(ParameterSpace<Double> eps) {
            this.eps = eps;
            return this;
        }

        /** Fixed moving-average decay. Defaults to BatchNorm's 0.9. */
        public Builder decay(double decay) {
            return decay(new FixedValue<>(decay));
        }

        /** Moving-average decay drawn from a space (values in [0, 1)). */
        public Builder decay(ParameterSpace<Double> decay) {
            this.decay = decay;
            return this;
        }

        /** One averaging mode (fixed) or several to choose from. Defaults to BatchNorm's moving average. */
        public Builder averaging(PopulationAveraging... modes) {
            if (modes.length == 0) {
                throw new IllegalArgumentException("give at least one averaging mode");
            }
            return averaging(modes.length == 1 ? new FixedValue<>(modes[0]) : new DiscreteParameterSpace<>(modes));
        }

        /** Averaging mode drawn from a space. */
        public Builder averaging(ParameterSpace<PopulationAveraging> averaging) {
            this.averaging = averaging;
            return this;
        }

        /** Fixed choice: learned γ/β (true) or γ = 1, β = 0 (false). Defaults to BatchNorm's true. */
        public Builder learnGammaBeta(boolean learnGammaBeta) {
            return learnGammaBeta(new FixedValue<>(learnGammaBeta));
        }

        /** Learned-or-fixed γ/β drawn from a space, e.g. {@code new BooleanSpace()}. */
        public Builder learnGammaBeta(ParameterSpace<Boolean> learnGammaBeta) {
            this.learnGammaBeta = learnGammaBeta;
            return this;
        }

        /** Fixed data format of rank-4 input. Defaults to BatchNorm's NCHW (a network input type overrides it). */
        public Builder dataFormat(CNN2DFormat dataFormat) {
            return dataFormat(new FixedValue<>(dataFormat));
        }

        /** Data format drawn from a space. */
        public Builder dataFormat(ParameterSpace<CNN2DFormat> dataFormat) {
            this.dataFormat = dataFormat;
            return this;
        }

        /** Fixed Batch Renormalization on (true) or off (false). Defaults to BatchNorm's false. */
        public Builder batchRenorm(boolean batchRenorm) {
            return batchRenorm(new FixedValue<>(batchRenorm));
        }

        /** Batch Renormalization on/off drawn from a space, e.g. {@code new BooleanSpace()}. */
        public Builder batchRenorm(ParameterSpace<Boolean> batchRenorm) {
            this.batchRenorm = batchRenorm;
            return this;
        }

        /** One renorm schedule (fixed) or several to choose from. Defaults to BatchNorm's (the paper's). */
        public Builder renormSchedule(RenormSchedule... schedules) {
            if (schedules.length == 0) {
                throw new IllegalArgumentException("give at least one renorm schedule");
            }
            return renormSchedule(schedules.length == 1 ? new FixedValue<>(schedules[0])
                    : new DiscreteParameterSpace<>(schedules));
        }

        /** Renorm schedule drawn from a space. */
        public Builder renormSchedule(ParameterSpace<RenormSchedule> renormSchedule) {
            this.renormSchedule = renormSchedule;
            return this;
        }

        /** Fixed ghost batch size (0 = the whole mini-batch). Defaults to BatchNorm's 0. */
        public Builder ghostBatchSize(int ghostBatchSize) {
            return ghostBatchSize(new FixedValue<>(ghostBatchSize));
        }

        /** Ghost batch size drawn from a space, e.g. {@code new DiscreteParameterSpace<>(0, 8, 16)}. */
        public Builder ghostBatchSize(ParameterSpace<Integer> ghostBatchSize) {
            this.ghostBatchSize = ghostBatchSize;
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public BatchNormLayerSpace build() {
            return new BatchNormLayerSpace(this);
        }
    }
}
