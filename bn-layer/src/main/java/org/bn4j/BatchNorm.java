package org.bn4j;

import org.bn4j.layer.BatchNormLayer;
import org.bn4j.params.BatchNormParamInitializer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Batch normalization, exactly as in Ioffe &amp; Szegedy, "Batch Normalization: Accelerating Deep Network Training by
 * Reducing Internal Covariate Shift" (ICML 2015): the configuration of a Deeplearning4j layer.
 *
 * <p><b>Training</b> (the paper's Algorithm 1, §3): for each feature, over the {@code m} values of that feature in
 * the mini-batch,
 * <pre>
 *   μ_B  = (1/m) Σ x_i                      mini-batch mean
 *   σ²_B = (1/m) Σ (x_i − μ_B)²             biased mini-batch variance
 *   x̂_i  = (x_i − μ_B) / √(σ²_B + ε)
 *   y_i  = γ·x̂_i + β
 * </pre>
 * Dense input {@code [N, C]} has one feature per column ({@code m = N}); convolutional input {@code [N, C, H, W]}
 * (NCHW) or {@code [N, H, W, C]} (NHWC) normalizes each channel over all locations, {@code m = N·H·W} (§3.2).
 *
 * <p><b>Population statistics</b> (§3.1, Algorithm 2): while training, E[x] and Var[x] are accumulated from the batch
 * means and the <em>unbiased</em> batch variances {@code m/(m−1)·σ²_B}, either as a moving average or as a cumulative
 * average (see {@link PopulationAveraging}). They change only during {@code fit}: the layer hands the update to DL4J as
 * a pseudo-gradient {@code old − new} on parameters with a NoOp updater, so {@code output(...)}, evaluation and
 * scoring never touch them, and averaging parameters across workers averages the statistics.
 *
 * <p><b>Inference</b>: one per-feature linear map with the population statistics,
 * {@code y = γ/√(Var[x]+ε) · x + (β − γ·E[x]/√(Var[x]+ε))}.
 *
 * <p><b>Frozen statistics</b> ({@link Builder#frozenStatistics(boolean)}): training uses this same map, with the
 * gradient through it ({@code dx = γ/√(Var[x]+ε)·dy}), and leaves the population statistics unchanged; for
 * fine-tuning with small batches after {@link org.bn4j.statistics.PopulationStatistics#estimate Algorithm 2}.
 *
 * <p><b>Batch Renormalization</b> ({@link Builder#batchRenorm(boolean)}; Ioffe, "Batch Renormalization: Towards
 * Reducing Minibatch Dependence in Batch-Normalized Models", NIPS 2017): training normalizes with the batch statistics
 * and corrects toward the moving averages E[x], σ = √(Var[x]+ε),
 * {@code y = γ·(x̂·r + d) + β} with {@code r = clip(σ_B/σ, 1/r_max, r_max)}, {@code d = clip((μ_B − E[x])/σ,
 * −d_max, d_max)}, {@code σ_B = √(σ²_B+ε)}, r and d constants in the backward pass; the limits follow a
 * {@link RenormSchedule} over the layer's own iteration count (parameter {@link #RENORM_STEP}). Inference is
 * unchanged: the population map. The moving averages are the layer's usual ones (mean and unbiased variance, decay
 * {@link #getDecay()}): the paper averages σ_B itself; averaging the variance keeps one set of population statistics
 * for inference, Algorithm 2, folding and freezing, and makes {@code r_max = 1, d_max = 0} plain batch normalization
 * exactly.
 *
 * <p><b>Ghost batches</b> ({@link Builder#ghostBatchSize(int)}; Hoffer, Hubara &amp; Soudry 2017): training splits
 * each mini-batch into {@code ⌈N/g⌉} near-equal sub-batches of at most g examples
 * ({@link org.bn4j.math.SubBatches}) and normalizes each with its own statistics; the population statistics move by
 * the average of the sub-batches' updates (as with replicas' per-replica statistics). Inference is unchanged.
 *
 * <p>Usage: {@code new BatchNorm.Builder().eps(1e-5).decay(0.9).build()}; nIn is inferred from the previous layer
 * when the network's input type is set. Parameters: {@link #GAMMA}, {@link #BETA} (learned, absent when
 * {@link Builder#learnGammaBeta(boolean) fixed}), {@link #MEAN}, {@link #VAR}, and {@link #COUNT} for cumulative
 * averaging. A configured activation is applied after the normalization (default identity).
 *
 * <p>NaN or infinite inputs are not rejected (checking would cost a full pass): in training a NaN/Inf in a feature makes
 * that feature's batch statistics, its whole output and its population statistics NaN; at inference it affects only
 * its own output value.
 */
public class BatchNorm extends FeedForwardLayer {

    /** Parameter key of the learned scale γ (init 1). */
    public static final String GAMMA = BatchNormParamInitializer.GAMMA;
    /** Parameter key of the learned shift β (init 0). */
    public static final String BETA = BatchNormParamInitializer.BETA;
    /** Parameter key of the population mean E[x] (init 0). */
    public static final String MEAN = BatchNormParamInitializer.MEAN;
    /** Parameter key of the population variance Var[x] (init 1, stored as a variance). */
    public static final String VAR = BatchNormParamInitializer.VAR;
    /** Parameter key of the batch count of a cumulative average (init 0; cumulative averaging only). */
    public static final String COUNT = BatchNormParamInitializer.COUNT;
    /** Parameter key of the iteration count of Batch Renormalization's schedule (init 0; batch renorm only). */
    public static final String RENORM_STEP = BatchNormParamInitializer.RENORM_STEP;

    /** Default ε: 1e-5. */
    public static final double DEFAULT_EPS = 1e-5;
    /** Default moving-average decay: 0.9 (PyTorch momentum 0.1). */
    public static final double DEFAULT_DECAY = 0.9;

    // Defaults live in the Builder only: every constructor goes through one (JSON too, via the no-arg constructor).
    private double eps;
    private double decay;
    private PopulationAveraging averaging;
    private boolean learnGammaBeta;
    private CNN2DFormat dataFormat;
    private boolean frozenStatistics;
    private boolean batchRenorm;
    private RenormSchedule renormSchedule;
    private int ghostBatchSize;

    /** For JSON deserialization; equals {@code new Builder().build()}. */
    public BatchNorm() {
        this(new Builder());
    }

    private BatchNorm(Builder builder) {
        super(builder);
        this.eps = builder.eps;
        this.decay = builder.decay;
        this.averaging = builder.averaging;
        this.learnGammaBeta = builder.learnGammaBeta;
        this.dataFormat = builder.dataFormat;
        this.frozenStatistics = builder.frozenStatistics;
        this.batchRenorm = builder.batchRenorm;
        this.renormSchedule = builder.renormSchedule;
        this.ghostBatchSize = builder.ghostBatchSize;
        initializeConstraints(builder);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> trainingListeners,
                             int layerIndex, INDArray layerParamsView, boolean initializeParams,
                             DataType networkDataType) {
        BatchNormValidation.checkConfiguration(this);
        if (getNOut() <= 0) {
            throw new IllegalStateException(describe() + ": the number of features is not set. Set nIn/nOut on the "
                    + "builder or give the network an input type (setInputType) so that it is inferred");
        }
        BatchNormLayer layer = new BatchNormLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return BatchNormParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        BatchNormValidation.checkInputType(this, inputType);
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        BatchNormValidation.checkInputType(this, inputType);
        long features;
        if (inputType.getType() == InputType.Type.CNN) {
            InputType.InputTypeConvolutional conv = (InputType.InputTypeConvolutional) inputType;
            features = conv.getChannels();
            dataFormat = conv.getFormat();
        } else {
            features = ((InputType.InputTypeFeedForward) inputType).getSize();
        }
        if (nIn > 0 && !override && nIn != features) {
            throw new IllegalStateException(describe() + ": configured with nIn=" + nIn + " but its input "
                    + inputType + " has " + features + " features");
        }
        nIn = features;
        nOut = features;
    }

    /** Sets the number of features; nOut follows, since batch normalization keeps the number of features. */
    @Override
    public void setNIn(long nIn) {
        this.nIn = nIn;
        this.nOut = nIn;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType != null && inputType.getType() == InputType.Type.CNNFlat) {
            InputType.InputTypeConvolutionalFlat flat = (InputType.InputTypeConvolutionalFlat) inputType;
            return new FeedForwardToCnnPreProcessor(flat.getHeight(), flat.getWidth(), flat.getDepth());
        }
        // Dense and convolutional input are both handled by the layer itself: no CNN-to-dense flattening.
        return null;
    }

    /** No regularization on any BatchNorm parameter (γ, β act like biases; statistics are not learned). */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return Collections.emptyList();
    }

    /** γ and β use the layer's updater; population statistics use {@link NoOp} (never scaled by a learning rate). */
    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        if (BatchNormParamInitializer.isPopulationStatistic(paramName)) {
            return new NoOp();
        }
        if (GAMMA.equals(paramName) || BETA.equals(paramName)) {
            return getIUpdater();
        }
        throw new IllegalArgumentException(describe() + ": unknown parameter \"" + paramName + "\"");
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType outputType = getOutputType(-1, inputType);
        long numParams = initializer().numParams(this);
        long updaterState = 0;
        for (String key : initializer().paramKeys(this)) {
            updaterState += getUpdaterByParam(key).stateSize(BatchNormParamInitializer.isScalar(key) ? 1 : nOut);
        }
        // Training keeps only per-feature mean and 1/σ for backprop; inference needs no working memory.
        return new LayerMemoryReport.Builder(layerName, BatchNorm.class, inputType, outputType)
                .standardMemory(numParams, updaterState)
                .workingMemory(0, 0, 3 * nOut, outputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public BatchNorm clone() {
        return (BatchNorm) super.clone();
    }

    /** "BatchNorm layer "name"" for error messages. */
    public String describe() {
        return "BatchNorm layer" + (layerName == null ? "" : " \"" + layerName + "\"");
    }

    /** ε added to the variance before the square root. Defaults to 1e-5. */
    public double getEps() {
        return eps;
    }

    public void setEps(double eps) {
        this.eps = eps;
    }

    /** Moving-average decay: {@code pop = decay·pop + (1 − decay)·batch}. Defaults to 0.9. */
    public double getDecay() {
        return decay;
    }

    public void setDecay(double decay) {
        this.decay = decay;
    }

    /** How population statistics are averaged. Defaults to {@link PopulationAveraging#MOVING_AVERAGE}. */
    public PopulationAveraging getAveraging() {
        return averaging;
    }

    public void setAveraging(PopulationAveraging averaging) {
        this.averaging = averaging;
    }

    /** True when γ and β are learned parameters; false fixes them at γ = 1, β = 0. Defaults to true. */
    public boolean isLearnGammaBeta() {
        return learnGammaBeta;
    }

    public void setLearnGammaBeta(boolean learnGammaBeta) {
        this.learnGammaBeta = learnGammaBeta;
    }

    /** Layout of convolutional input. Defaults to NCHW; taken from the input type when the network sets one. */
    public CNN2DFormat getDataFormat() {
        return dataFormat;
    }

    public void setDataFormat(CNN2DFormat dataFormat) {
        this.dataFormat = dataFormat;
    }

    /**
     * True when training normalizes with the population statistics instead of the batch statistics and leaves them
     * unchanged (frozen), as for fine-tuning with small batches. Defaults to false (Algorithm 1).
     */
    public boolean isFrozenStatistics() {
        return frozenStatistics;
    }

    public void setFrozenStatistics(boolean frozenStatistics) {
        this.frozenStatistics = frozenStatistics;
    }

    /**
     * True for Batch Renormalization (Ioffe 2017) in training: batch statistics corrected by r and d toward the moving
     * averages. Defaults to false.
     */
    public boolean isBatchRenorm() {
        return batchRenorm;
    }

    public void setBatchRenorm(boolean batchRenorm) {
        this.batchRenorm = batchRenorm;
    }

    /** The r_max/d_max schedule of Batch Renormalization. Defaults to {@link RenormSchedule#paper()}. */
    public RenormSchedule getRenormSchedule() {
        return renormSchedule;
    }

    public void setRenormSchedule(RenormSchedule renormSchedule) {
        this.renormSchedule = renormSchedule;
    }

    /** Examples per ghost batch in training; 0 normalizes over the whole mini-batch. Defaults to 0. */
    public int getGhostBatchSize() {
        return ghostBatchSize;
    }

    public void setGhostBatchSize(int ghostBatchSize) {
        this.ghostBatchSize = ghostBatchSize;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BatchNorm) || !super.equals(o)) {
            return false;
        }
        BatchNorm that = (BatchNorm) o;
        return Double.compare(eps, that.eps) == 0 && Double.compare(decay, that.decay) == 0
                && averaging == that.averaging && learnGammaBeta == that.learnGammaBeta
                && dataFormat == that.dataFormat && frozenStatistics == that.frozenStatistics
                && batchRenorm == that.batchRenorm && Objects.equals(renormSchedule, that.renormSchedule)
                && ghostBatchSize == that.ghostBatchSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), eps, decay, averaging, learnGammaBeta, dataFormat, frozenStatistics,
                batchRenorm, renormSchedule, ghostBatchSize);
    }

    @Override
    public String toString() {
        return "BatchNorm(name=" + layerName + ", nIn=" + nIn + ", nOut=" + nOut + ", eps=" + eps + ", decay=" + decay
                + ", averaging=" + averaging + ", learnGammaBeta=" + learnGammaBeta + ", dataFormat=" + dataFormat
                + ", frozenStatistics=" + frozenStatistics + ", batchRenorm=" + batchRenorm
                + (batchRenorm ? ", renormSchedule=" + renormSchedule : "") + ", ghostBatchSize=" + ghostBatchSize
                + ")";
    }

    /** Builder for {@link BatchNorm}. Every option has the default stated on its setter. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private double eps = DEFAULT_EPS;
        private double decay = DEFAULT_DECAY;
        private PopulationAveraging averaging = PopulationAveraging.MOVING_AVERAGE;
        private boolean learnGammaBeta = true;
        private CNN2DFormat dataFormat = CNN2DFormat.NCHW;
        private boolean frozenStatistics = false;
        private boolean batchRenorm = false;
        private RenormSchedule renormSchedule = RenormSchedule.paper();
        private int ghostBatchSize = 0;

        /**
         * A builder with every default. The activation defaults to identity here (DL4J's network-wide default,
         * sigmoid, is not inherited): set {@code .activation(Activation.RELU)} to apply one after the normalization.
         */
        public Builder() {
            this.activationFn = new ActivationIdentity();
        }

        /** ε &gt; 0 added to the variance in Algorithm 1. Defaults to 1e-5. */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        /**
         * Moving-average decay in [0, 1): {@code pop = decay·pop + (1 − decay)·batch}. Defaults to 0.9. Equals
         * {@code 1 − momentum} of PyTorch's BatchNorm (PyTorch's default momentum 0.1 is decay 0.9). Used only with
         * {@link PopulationAveraging#MOVING_AVERAGE}.
         */
        public Builder decay(double decay) {
            this.decay = decay;
            return this;
        }

        /** How population statistics are averaged while training. Defaults to {@link PopulationAveraging#MOVING_AVERAGE}. */
        public Builder averaging(PopulationAveraging averaging) {
            this.averaging = averaging;
            return this;
        }

        /** Shortcut for {@code averaging(CUMULATIVE)}: the plain average of all training batches since reset. */
        public Builder cumulativeAverage() {
            return averaging(PopulationAveraging.CUMULATIVE);
        }

        /**
         * Learn γ and β (true), or fix them at the identity γ = 1, β = 0 (false: the layer has no γ/β parameters).
         * Defaults to true.
         */
        public Builder learnGammaBeta(boolean learnGammaBeta) {
            this.learnGammaBeta = learnGammaBeta;
            return this;
        }

        /** Layout of rank-4 input: NCHW or NHWC. Defaults to NCHW; overridden by the network's input type when set. */
        public Builder dataFormat(CNN2DFormat dataFormat) {
            this.dataFormat = dataFormat;
            return this;
        }

        /**
         * Train with the population statistics instead of the batch statistics, and keep them fixed (true): the layer
         * is then the per-feature linear map {@code γ·(x − E[x])/√(Var[x]+ε) + β} in training as at inference, and
         * only γ and β learn. Use it to fine-tune with small batches, after estimating the statistics with
         * {@link org.bn4j.statistics.PopulationStatistics}. Defaults to false (batch statistics, Algorithm 1).
         * See also {@link org.bn4j.deploy.BatchNormFreezer}.
         */
        public Builder frozenStatistics(boolean frozenStatistics) {
            this.frozenStatistics = frozenStatistics;
            return this;
        }

        /**
         * Batch Renormalization (Ioffe 2017): train with the batch statistics corrected by r and d toward the moving
         * averages, with limits from {@link #renormSchedule(RenormSchedule)}. Adds the parameter
         * {@link BatchNorm#RENORM_STEP}. {@link #frozenStatistics(boolean) Frozen statistics} take precedence: a frozen
         * layer trains with the population map and its renorm step stays where it is (so that
         * {@link org.bn4j.deploy.BatchNormFreezer} works on renormalized networks too). Defaults to false.
         */
        public Builder batchRenorm(boolean batchRenorm) {
            this.batchRenorm = batchRenorm;
            return this;
        }

        /** The r_max/d_max schedule of Batch Renormalization. Defaults to {@link RenormSchedule#paper()}. */
        public Builder renormSchedule(RenormSchedule renormSchedule) {
            this.renormSchedule = renormSchedule;
            return this;
        }

        /**
         * Ghost batch normalization: in training, statistics over sub-batches of at most {@code size} examples
         * ({@code ⌈N/size⌉} near-equal parts of a mini-batch of N); at inference the population statistics, as
         * without. 0 (or a size &ge; N) normalizes over the whole mini-batch. Defaults to 0.
         */
        public Builder ghostBatchSize(int size) {
            this.ghostBatchSize = size;
            return this;
        }

        /** Number of features (channels); optional when the network's input type is set. nOut is set equal. */
        @Override
        public Builder nIn(long nIn) {
            super.nIn(nIn);
            return this;
        }

        @Override
        @SuppressWarnings("unchecked")
        public BatchNorm build() {
            // nIn != nOut (both set) is left as it is, for checkConfiguration to report.
            if (nOut <= 0) {
                nOut = nIn;
            } else if (nIn <= 0) {
                nIn = nOut;
            }
            BatchNorm built = new BatchNorm(this);
            BatchNormValidation.checkConfiguration(built);
            return built;
        }
    }
}
