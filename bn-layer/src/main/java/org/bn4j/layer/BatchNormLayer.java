package org.bn4j.layer;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.math.BatchNormKernels;
import org.bn4j.math.FeatureLayout;
import org.bn4j.math.PopulationUpdate;
import org.bn4j.parallel.BatchStatisticsSync;
import org.bn4j.params.BatchNormParamInitializer;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runtime of a {@link BatchNorm} layer: chooses training or inference mode, validates input, keeps the per-feature
 * batch statistics that backprop needs, and turns each training batch into the population-statistics update.
 * The arithmetic itself lives in {@link BatchNormKernels}.
 *
 * <p>Between a training forward pass and its backward pass the layer keeps only the batch mean and 1/√(σ²_B+ε) per
 * feature (x̂ is recomputed from the input, which DL4J keeps anyway), in double whatever the network's data type:
 * a float32 mean of input like 10000 + N(0,1) is off by up to half a float spacing (5e-4), which would drop the
 * mean correction from the backward pass and leave dγ with a relative error of ~1e-4.
 */
public class BatchNormLayer extends BaseLayer<BatchNorm> {

    /** DL4J's default ReLU (no max, threshold or slope), whose backward pass the CPU kernels fuse. */
    private static final ActivationReLU PLAIN_RELU = new ActivationReLU();

    private transient BatchStatistics lastBatch;
    /** The minibatch size DL4J's updater divides gradients by, when a MultiLayerNetwork has told it; else 0. */
    private transient int networkMiniBatchSize;
    /** True after a forward pass with the population map (inference, or training with frozen statistics). */
    private transient boolean populationForward;

    public BatchNormLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.NORMALIZATION;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        FeatureLayout layout = InputValidator.layoutOf(input, layerConf(), layerId());
        INDArray x = contiguous(input.castTo(dataType));
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c');
        BatchNormKernels kernels = KernelSelector.select(x);
        populationForward = !training || layerConf().isFrozenStatistics();
        if (!populationForward) {
            lastBatch = BatchStatistics.allocate(layerConf().getNOut(), layout, layout.valuesPerFeature(x));
            BatchStatisticsSync.Participant sync = BatchStatisticsSync.current();
            if (sync == null) {
                InputValidator.checkTrainingBatch(x, layout, layerId());
                kernels.trainForward(x, layout, gamma(), beta(), layerConf().getEps(), out,
                        lastBatch.mean, lastBatch.variance);
            } else {
                // Synchronized BN (ParallelTrainer): this shard's moments, combined with the other replicas'
                kernels.moments(x, layout, lastBatch.mean, lastBatch.variance);
                lastBatch.combine(sync, syncKey());
                InputValidator.checkTrainingBatch(lastBatch.valuesPerFeature, x, layerId());   // the whole batch's
                kernels.normalize(x, layout, gamma(), beta(), layerConf().getEps(), lastBatch.mean,
                        lastBatch.variance, out);
            }
            lastBatch.computeInvStd(layerConf().getEps());
        } else {
            lastBatch = null;
            LinearMap map = inferenceMap();
            kernels.inference(x, layout, map.scale, map.shift, out);
        }
        return activation().getActivation(out, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (lastBatch == null && populationForward) {
            return populationBackprop(epsilon, workspaceMgr);
        }
        if (lastBatch == null) {
            throw new IllegalStateException(layerId() + ": backpropagation needs a preceding forward pass in training "
                    + "mode (batch statistics); none was done");
        }
        BatchStatistics batch = lastBatch;
        FeatureLayout layout = batch.layout;
        INDArray x = contiguous(input.castTo(dataType));
        INDArray dy = contiguous(activationGradient(x, epsilon.castTo(dataType), layout, batch.mean, batch.invStd));
        BatchNormKernels kernels = KernelSelector.select(x);

        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        boolean learned = layerConf().isLearnGammaBeta();
        long features = layerConf().getNOut();
        INDArray dGamma = learned ? gradientViews.get(BatchNorm.GAMMA) : Nd4j.createUninitialized(dataType, features);
        INDArray dBeta = learned ? gradientViews.get(BatchNorm.BETA) : Nd4j.createUninitialized(dataType, features);
        if (batch.sync == null) {
            kernels.backward(x, dy, layout, batch.mean, batch.invStd, gamma(), dx, dGamma, dBeta);
        } else {
            // Synchronized BN: γ/β get this shard's sums (ParallelTrainer sums gradients over replicas); the input
            // gradient needs the sums over the whole mini-batch.
            kernels.gradientSums(x, dy, layout, batch.mean, batch.invStd, dGamma, dBeta);
            INDArray[] whole = batch.sumOverReplicas(dGamma, dBeta, syncKey());
            kernels.inputGradient(x, dy, layout, batch.mean, batch.invStd, gamma(), whole[0], whole[1],
                    batch.valuesPerFeature, dx);
        }

        Gradient gradient = new DefaultGradient();
        if (learned) {
            gammaBetaGradient(dGamma, dBeta, gradient);
        }
        populationStatisticsGradient(batch, gradient);
        lastBatch = null;
        return new Pair<>(gradient, dx);
    }

    /**
     * Backprop after a forward pass with the population map (frozen statistics, or an inference-mode forward as in
     * DL4J's FrozenLayerWithBackprop): {@link BatchNormKernels#populationBackward}; the statistics get a zero
     * pseudo-gradient, so they stay unchanged.
     */
    private Pair<Gradient, INDArray> populationBackprop(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = contiguous(input.castTo(dataType));
        FeatureLayout layout = InputValidator.layoutOf(x, layerConf(), layerId());
        INDArray mean = getParam(BatchNorm.MEAN);
        INDArray invStd = populationInvStd();
        INDArray dy = contiguous(activationGradient(x, epsilon.castTo(dataType), layout, mean, invStd));

        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        boolean learned = layerConf().isLearnGammaBeta();
        INDArray dGamma = learned ? gradientViews.get(BatchNorm.GAMMA) : null;
        INDArray dBeta = learned ? gradientViews.get(BatchNorm.BETA) : null;
        KernelSelector.select(x).populationBackward(x, dy, layout, mean, invStd, gamma(), dx, dGamma, dBeta);

        Gradient gradient = new DefaultGradient();
        if (learned) {
            gammaBetaGradient(dGamma, dBeta, gradient);
        }
        for (String key : new String[] {BatchNorm.MEAN, BatchNorm.VAR, BatchNorm.COUNT}) {
            INDArray view = gradientViews.get(key);
            if (view != null) {
                view.assign(0.0);
                gradient.setGradientFor(key, view);
            }
        }
        populationForward = false;
        return new Pair<>(gradient, dx);
    }

    /**
     * Adds the γ/β gradient to {@code gradient} after the configured gradient normalization, applied to γ/β only and
     * as DL4J's updater applies it to its own layers (after dividing by the minibatch size); the updater itself sees
     * none for this layer ({@link #getConfig()}).
     */
    private void gammaBetaGradient(INDArray dGamma, INDArray dBeta, Gradient gradient) {
        double minibatch = !conf().isMiniBatch() ? 1 : networkMiniBatchSize > 0 ? networkMiniBatchSize : input.size(0);
        GammaBetaNormalization.apply(layerConf().getGradientNormalization(),
                layerConf().getGradientNormalizationThreshold(), minibatch, dGamma, dBeta);
        gradient.setGradientFor(BatchNorm.GAMMA, dGamma);
        gradient.setGradientFor(BatchNorm.BETA, dBeta);
    }

    /**
     * The layer configuration without gradient normalization, for DL4J's updater, which would otherwise normalize
     * the population-statistics pseudo-gradients too; the layer normalizes the γ/β gradient itself.
     */
    @Override
    public TrainingConfig getConfig() {
        return new UpdaterConfig(layerConf());
    }

    /** Called by MultiLayerNetwork with the minibatch size its updater divides gradients by. */
    @Override
    public void setInputMiniBatchSize(int size) {
        networkMiniBatchSize = size;
    }

    /** Pseudo-gradients {@code old − new} for mean, var (and count), applied by their NoOp updater during fit. */
    private void populationStatisticsGradient(BatchStatistics batch, Gradient gradient) {
        INDArray dMean = gradientViews.get(BatchNorm.MEAN);
        INDArray dVar = gradientViews.get(BatchNorm.VAR);
        double weight;
        if (layerConf().getAveraging() == PopulationAveraging.CUMULATIVE) {
            weight = PopulationUpdate.cumulativeWeight(getParam(BatchNorm.COUNT).getDouble(0));
        } else {
            weight = PopulationUpdate.movingAverageWeight(layerConf().getDecay());
        }
        PopulationUpdate.pseudoGradient(weight, batch.valuesPerFeature, getParam(BatchNorm.MEAN),
                getParam(BatchNorm.VAR), batch.mean, batch.variance, dMean, dVar);
        gradient.setGradientFor(BatchNorm.MEAN, dMean);
        gradient.setGradientFor(BatchNorm.VAR, dVar);
        if (layerConf().getAveraging() == PopulationAveraging.CUMULATIVE) {
            INDArray dCount = gradientViews.get(BatchNorm.COUNT);
            dCount.assign(-1.0);
            gradient.setGradientFor(BatchNorm.COUNT, dCount);
        }
    }

    /**
     * Gradient with respect to the normalized output {@code y = γ·(x − mean)·invStd + β}, through the configured
     * activation (identity by default). Both backward passes use it, with the batch or the population statistics.
     */
    private INDArray activationGradient(INDArray x, INDArray epsilon, FeatureLayout layout, INDArray mean,
                                        INDArray invStd) {
        IActivation activation = activation();
        if (activation instanceof ActivationIdentity) {
            return epsilon;
        }
        // Recompute the pre-activation y rather than keeping a copy of it from the forward pass.
        LinearMap map = LinearMap.of(gamma(), beta(), mean, invStd);
        INDArray out = Nd4j.createUninitialized(dataType, x.shape(), 'c');
        if (isPlainRelu(activation)) {
            // NOTE: one fused pass (mask from the recomputed y, applied to the incoming gradient) instead of writing
            // y, copying the gradient and running libnd4j's relu_bp: the ReLU after BN is the common case.
            // The gradient is often a view (a merge vertex's slice, a preprocessor's reshape): one copy keeps the
            // fused pass on the CPU kernels, still fewer passes than the general path.
            KernelSelector.select(x).reluGradient(x, contiguous(epsilon), layout, map.scale, map.shift, out);
            return out;
        }
        KernelSelector.select(x).inference(x, layout, map.scale, map.shift, out);
        return activation.backprop(out, epsilon.dup()).getFirst();
    }

    /** The inference map of the population statistics: scale = γ/√(Var+ε), shift = β − scale·E[x]. */
    private LinearMap inferenceMap() {
        return LinearMap.of(gamma(), beta(), getParam(BatchNorm.MEAN), populationInvStd());
    }

    /** 1/√(Var[x]+ε) of the population statistics. */
    private INDArray populationInvStd() {
        return BatchNormKernels.invStd(getParam(BatchNorm.VAR), layerConf().getEps());
    }

    @Override
    public boolean updaterDivideByMinibatch(String paramName) {
        return !BatchNormParamInitializer.isPopulationStatistic(paramName);
    }

    @Override
    public void clear() {
        super.clear();
        lastBatch = null;
        populationForward = false;
    }

    private INDArray gamma() {
        return layerConf().isLearnGammaBeta() ? getParam(BatchNorm.GAMMA) : null;
    }

    private INDArray beta() {
        return layerConf().isLearnGammaBeta() ? getParam(BatchNorm.BETA) : null;
    }

    private IActivation activation() {
        IActivation fn = layerConf().getActivationFn();
        return fn == null ? new ActivationIdentity() : fn;
    }

    /** DL4J's {@code ActivationReLU} with no max, threshold or negative slope: {@code max(0, y)}. */
    private static boolean isPlainRelu(IActivation activation) {
        return activation.getClass() == ActivationReLU.class && PLAIN_RELU.equals(activation);
    }

    /** The name under which this layer meets its copies on the other replicas: the same on every replica. */
    private String syncKey() {
        return getIndex() + ":" + layerConf().getLayerName();
    }

    private static INDArray contiguous(INDArray a) {
        if (a.ordering() == 'c' && !a.isView() && Shape.hasDefaultStridesForShape(a)) {
            return a;
        }
        return a.dup('c');
    }

    /** Per-feature statistics of the last training batch, in double, kept outside any workspace until backprop. */
    private static final class BatchStatistics {
        final FeatureLayout layout;
        /** Values per feature the statistics are over: the whole mini-batch's when synchronized over replicas. */
        long valuesPerFeature;
        final INDArray mean;
        final INDArray variance;
        INDArray invStd;
        /** The replicas' synchronization the statistics were combined with, or null. */
        BatchStatisticsSync.Participant sync;

        private BatchStatistics(FeatureLayout layout, long valuesPerFeature, INDArray mean, INDArray variance) {
            this.layout = layout;
            this.valuesPerFeature = valuesPerFeature;
            this.mean = mean;
            this.variance = variance;
        }

        /** Double vectors whatever the layer's data type (see the class comment). */
        static BatchStatistics allocate(long features, FeatureLayout layout, long m) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return new BatchStatistics(layout, m, Nd4j.create(DataType.DOUBLE, features),
                        Nd4j.create(DataType.DOUBLE, features));
            }
        }

        /** Replaces this shard's mean and variance with those of the whole mini-batch over all replicas. */
        void combine(BatchStatisticsSync.Participant participant, String key) {
            double[] mu = mean.toDoubleVector();
            double[] var = variance.toDoubleVector();
            valuesPerFeature = participant.combineMoments(key, valuesPerFeature, mu, var);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                mean.assign(Nd4j.createFromArray(mu));
                variance.assign(Nd4j.createFromArray(var));
            }
            sync = participant;
        }

        /** {@code [Σ dy·x̂, Σ dy]} over every replica's shard, in double, from this shard's sums. */
        INDArray[] sumOverReplicas(INDArray dGamma, INDArray dBeta, String key) {
            double[] dg = dGamma.toDoubleVector();
            double[] db = dBeta.toDoubleVector();
            sync.sumGradients(key, dg, db);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return new INDArray[] {Nd4j.createFromArray(dg), Nd4j.createFromArray(db)};
            }
        }

        void computeInvStd(double eps) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                invStd = BatchNormKernels.invStd(variance, eps);
            }
        }
    }
}
