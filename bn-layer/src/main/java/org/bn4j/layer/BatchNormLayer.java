package org.bn4j.layer;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.math.BatchNormKernels;
import org.bn4j.math.BatchRenorm;
import org.bn4j.math.FeatureLayout;
import org.bn4j.math.PopulationUpdate;
import org.bn4j.math.SubBatches;
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
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Runtime of a {@link BatchNorm} layer: chooses training or inference mode, validates input, keeps the per-feature
 * batch statistics that backprop needs, and turns each training batch into the population-statistics update.
 * The arithmetic itself lives in {@link BatchNormKernels}. Per feature (Ioffe &amp; Szegedy 2015):
 * <pre>
 *   training (Algorithm 1, §3):              y = γ·(x − μ_B)/√(σ²_B + ε) + β        batch statistics
 *   inference (Algorithm 2, step 11, §3.1):  y = γ·(x − E[x])/√(Var[x] + ε) + β     population statistics
 * </pre>
 * The population form is also used in training with frozen statistics. The backward pass follows the way the forward
 * pass went: Algorithm 1 over the whole batch, per sub-batch (below), or through the population map, whose statistics
 * then stay unchanged.
 *
 * <p>Between a training forward pass and its backward pass the layer keeps only the batch mean and 1/√(σ²_B+ε) per
 * feature (x̂ is recomputed from the input, which DL4J keeps anyway), in double whatever the network's data type:
 * a float32 mean of input like 10000 + N(0,1) is off by up to half a float spacing (5e-4), which would drop the
 * mean correction from the backward pass and leave dγ with a relative error of ~1e-4.
 *
 * <p>Batch Renormalization and ghost batches take the sub-batch path: per sub-batch (the whole mini-batch without
 * ghost batches) {@link BatchNormKernels#moments}, r and d ({@link BatchRenorm}), then {@link BatchNormKernels#normalize}
 * with {@code γ' = γ·r, β' = β + γ·d}; backward is batch normalization's with γ' per sub-batch. Without either, and
 * during Batch Renormalization's warm-up (r_max = 1, d_max = 0, so r ≡ 1, d ≡ 0), the layer runs Algorithm 1 of 2015
 * unchanged.
 */
public class BatchNormLayer extends BaseLayer<BatchNorm> {

    /** DL4J's default ReLU (no max, threshold or slope), whose backward pass the CPU kernels fuse. */
    private static final ActivationReLU PLAIN_RELU = new ActivationReLU();

    /** What the last forward pass left for the backward pass. */
    private transient Pass lastPass = Pass.NONE;
    /** The batch statistics of the last forward pass: one for {@link Pass#BATCH}, one per sub-batch, else none. */
    private transient BatchStatistics[] lastBatches;
    /** The minibatch size DL4J's updater divides gradients by, when a MultiLayerNetwork has told it; else 0. */
    private transient int networkMiniBatchSize;

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
        remember(Pass.NONE);
        if (!training || layerConf().isFrozenStatistics()) {
            LinearMap map = inferenceMap();
            kernels.inference(x, layout, map.scale, map.shift, out);
            remember(Pass.POPULATION);
            return activation().getActivation(out, training);
        }
        BatchStatisticsSync.Participant sync = BatchStatisticsSync.current();
        int[] ghosts = SubBatches.ghostSizes(Math.toIntExact(x.size(0)), layerConf().getGhostBatchSize());
        boolean renorm = renormActive();
        if (sync == null && (ghosts.length > 1 || renorm)) {
            remember(Pass.SUB_BATCHES, subBatchForward(x, layout, ghosts, renorm, out));
            return activation().getActivation(out, training);
        }
        if (sync != null && ghosts.length > 1) {
            throw new IllegalStateException(layerId() + ": ghost batches with synchronized replicas; use "
                    + "ReplicaStatistics.PER_REPLICA (ghost batches of the shards) or no ghostBatchSize");
        }
        BatchStatistics batch = BatchStatistics.allocate(layerConf().getNOut(), layout, layout.valuesPerFeature(x));
        if (sync == null) {
            InputValidator.checkTrainingBatch(x, layout, layerId());
            kernels.trainForward(x, layout, gamma(), beta(), layerConf().getEps(), out, batch.mean, batch.variance,
                    batch.invStd);
        } else {
            // Synchronized BN (ParallelTrainer): this shard's moments, combined with the other replicas'
            kernels.moments(x, layout, batch.mean, batch.variance);
            batch.combine(sync, syncKey());
            InputValidator.checkTrainingBatch(batch.valuesPerFeature, x, layerId());   // the whole batch's
            if (renorm) {
                batch.correct(getParam(BatchNorm.MEAN), getParam(BatchNorm.VAR), layerConf().getEps(),
                        renormStep(), layerConf().getRenormSchedule());
            }
            kernels.normalize(x, layout, batch.scale(gamma(), dataType), batch.shift(gamma(), beta(), dataType),
                    layerConf().getEps(), batch.mean, batch.variance, out, batch.invStd);
        }
        remember(Pass.BATCH, batch);
        return activation().getActivation(out, training);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Pair<Gradient, INDArray> gradients = switch (lastPass) {
            case BATCH -> batchBackprop(lastBatches[0], epsilon, workspaceMgr);
            case SUB_BATCHES -> subBatchBackprop(lastBatches, epsilon, workspaceMgr);
            case POPULATION -> populationBackprop(epsilon, workspaceMgr);
            case NONE -> throw new IllegalStateException(layerId() + ": backpropagation needs a preceding forward "
                    + "pass in training mode (batch statistics); none was done");
        };
        remember(Pass.NONE);
        return gradients;
    }

    /** Keeps what a forward pass leaves for the backward pass. */
    private void remember(Pass pass, BatchStatistics... batches) {
        lastPass = pass;
        lastBatches = batches;
    }

    /** Algorithm 1's backward pass over the whole mini-batch (all replicas' shards when synchronized). */
    private Pair<Gradient, INDArray> batchBackprop(BatchStatistics batch, INDArray epsilon,
                                                   LayerWorkspaceMgr workspaceMgr) {
        FeatureLayout layout = batch.layout;
        INDArray x = contiguous(input.castTo(dataType));
        INDArray scale = batch.scale(gamma(), dataType);
        INDArray dy = contiguous(activationGradient(x, epsilon.castTo(dataType), layout, scale,
                batch.shift(gamma(), beta(), dataType), batch.mean, batch.invStd));
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
            kernels.inputGradient(x, dy, layout, batch.mean, batch.invStd, scale, whole[0], whole[1],
                    batch.valuesPerFeature, dx);
            if (batch.r != null) {
                // Batch renorm: dγ = r·Σ dy·x̂ + d·Σ dy, of this shard (the replicas' γ gradients are summed)
                dGamma.assign(Nd4j.createFromArray(BatchRenorm.gammaGradient(dGamma.toDoubleVector(),
                        dBeta.toDoubleVector(), batch.r, batch.d)).castTo(dGamma.dataType()));
            }
        }
        return new Pair<>(gradient(dGamma, dBeta, batch), dx);
    }

    /** Iterations trained with Batch Renormalization so far (its schedule's clock). */
    private long renormStep() {
        return (long) getParam(BatchNorm.RENORM_STEP).getDouble(0);
    }

    /** True when this iteration corrects with r and d: Batch Renormalization after the warm-up of its schedule. */
    private boolean renormActive() {
        return layerConf().isBatchRenorm() && !layerConf().getRenormSchedule().isPlainAt(renormStep());
    }

    /**
     * Forward over sub-batches of the given sizes (ghost batches; one for the whole batch): each normalized with its
     * own statistics, corrected by r and d when {@code renorm}.
     */
    private BatchStatistics[] subBatchForward(INDArray x, FeatureLayout layout, int[] sizes, boolean renorm,
                                              INDArray out) {
        double eps = layerConf().getEps();
        BatchStatistics[] batches = new BatchStatistics[sizes.length];
        int start = 0;
        for (int s = 0; s < sizes.length; s++) {
            boolean whole = sizes.length == 1;
            INDArray xs = whole ? x : examples(x, start, sizes[s]).dup('c');
            InputValidator.checkTrainingBatch(xs, layout, layerId());
            BatchNormKernels kernels = KernelSelector.select(xs);
            BatchStatistics batch = BatchStatistics.allocate(layerConf().getNOut(), layout,
                    layout.valuesPerFeature(xs));
            batch.start = start;
            batch.size = sizes[s];
            kernels.moments(xs, layout, batch.mean, batch.variance);
            if (renorm) {
                batch.correct(getParam(BatchNorm.MEAN), getParam(BatchNorm.VAR), eps, renormStep(),
                        layerConf().getRenormSchedule());
            }
            INDArray outs = whole ? out : Nd4j.createUninitialized(dataType, xs.shape(), 'c');
            kernels.normalize(xs, layout, batch.scale(gamma(), dataType), batch.shift(gamma(), beta(), dataType),
                    eps, batch.mean, batch.variance, outs, batch.invStd);
            if (!whole) {
                examples(out, start, sizes[s]).assign(outs);
            }
            batches[s] = batch;
            start += sizes[s];
        }
        return batches;
    }

    /**
     * Backward over the sub-batches of {@link #subBatchForward}: batch normalization's backward pass per sub-batch
     * with {@code γ' = γ·r}; {@code dγ = Σ_s (r_s·Σ dy·x̂ + d_s·Σ dy)}, {@code dβ = Σ dy}.
     */
    private Pair<Gradient, INDArray> subBatchBackprop(BatchStatistics[] batches, INDArray epsilon,
                                                      LayerWorkspaceMgr workspaceMgr) {
        FeatureLayout layout = batches[0].layout;
        INDArray x = contiguous(input.castTo(dataType));
        INDArray gradIn = epsilon.castTo(dataType);
        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        int features = Math.toIntExact(layerConf().getNOut());
        double[] dGammaSum = new double[features];
        double[] dBetaSum = new double[features];
        boolean whole = batches.length == 1;
        for (BatchStatistics batch : batches) {
            INDArray xs = whole ? x : examples(x, batch.start, batch.size).dup('c');
            INDArray gs = whole ? gradIn : examples(gradIn, batch.start, batch.size);
            INDArray scale = batch.scale(gamma(), dataType);
            INDArray dy = contiguous(activationGradient(xs, gs, layout, scale, batch.shift(gamma(), beta(), dataType),
                    batch.mean, batch.invStd));
            INDArray dxs = whole ? dx : Nd4j.createUninitialized(dataType, xs.shape(), 'c');
            INDArray sumDyXHat = Nd4j.createUninitialized(dataType, features);
            INDArray sumDy = Nd4j.createUninitialized(dataType, features);
            KernelSelector.select(xs).backward(xs, dy, layout, batch.mean, batch.invStd, scale, dxs, sumDyXHat,
                    sumDy);
            if (!whole) {
                examples(dx, batch.start, batch.size).assign(dxs);
            }
            double[] s1 = sumDyXHat.toDoubleVector();
            double[] s0 = sumDy.toDoubleVector();
            double[] dGamma = batch.r == null ? s1 : BatchRenorm.gammaGradient(s1, s0, batch.r, batch.d);
            for (int c = 0; c < features; c++) {
                dGammaSum[c] += dGamma[c];
                dBetaSum[c] += s0[c];
            }
        }
        boolean learned = layerConf().isLearnGammaBeta();
        INDArray dGamma = learned ? gradientViews.get(BatchNorm.GAMMA) : null;
        INDArray dBeta = learned ? gradientViews.get(BatchNorm.BETA) : null;
        if (learned) {
            dGamma.assign(Nd4j.createFromArray(dGammaSum).castTo(dGamma.dataType()));
            dBeta.assign(Nd4j.createFromArray(dBetaSum).castTo(dBeta.dataType()));
        }
        return new Pair<>(gradient(dGamma, dBeta, batches), dx);
    }

    /** The examples {@code [start, start + size)} of {@code a}, as a view. */
    private static INDArray examples(INDArray a, int start, int size) {
        INDArrayIndex[] index = new INDArrayIndex[a.rank()];
        index[0] = NDArrayIndex.interval(start, start + size);
        for (int d = 1; d < index.length; d++) {
            index[d] = NDArrayIndex.all();
        }
        return a.get(index);
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
        INDArray dy = contiguous(activationGradient(x, epsilon.castTo(dataType), layout, gamma(), beta(), mean,
                invStd));

        INDArray dx = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        boolean learned = layerConf().isLearnGammaBeta();
        INDArray dGamma = learned ? gradientViews.get(BatchNorm.GAMMA) : null;
        INDArray dBeta = learned ? gradientViews.get(BatchNorm.BETA) : null;
        KernelSelector.select(x).populationBackward(x, dy, layout, mean, invStd, gamma(), dx, dGamma, dBeta);
        return new Pair<>(gradient(dGamma, dBeta), dx);
    }

    /**
     * The end of every backward pass: the γ/β gradient (when learned) and the population statistics'
     * pseudo-gradients, which move them by the update of {@code batches}, or leave them unchanged (zero) when there
     * are none (a pass with the population map).
     */
    private Gradient gradient(INDArray dGamma, INDArray dBeta, BatchStatistics... batches) {
        Gradient gradient = new DefaultGradient();
        if (layerConf().isLearnGammaBeta()) {
            gammaBetaGradient(dGamma, dBeta, gradient);
        }
        populationStatisticsGradient(gradient, batches);
        return gradient;
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

    /**
     * Pseudo-gradients {@code old − new} for mean, var (and count, renorm step), applied by their NoOp updater during
     * fit. Several sub-batches (ghost batches) move the statistics by the average of their updates, as replicas with
     * per-replica statistics do; no batch leaves them, and the counters, unchanged.
     */
    private void populationStatisticsGradient(Gradient gradient, BatchStatistics... batches) {
        INDArray dMean = gradientViews.get(BatchNorm.MEAN);
        INDArray dVar = gradientViews.get(BatchNorm.VAR);
        if (batches.length == 0) {
            dMean.assign(0.0);
            dVar.assign(0.0);
        } else {
            averageUpdate(dMean, dVar, batches);
        }
        gradient.setGradientFor(BatchNorm.MEAN, dMean);
        gradient.setGradientFor(BatchNorm.VAR, dVar);
        double counted = batches.length == 0 ? 0.0 : -1.0;     // count and renorm step: +1 per update
        if (layerConf().getAveraging() == PopulationAveraging.CUMULATIVE) {
            INDArray dCount = gradientViews.get(BatchNorm.COUNT);
            dCount.assign(counted);
            gradient.setGradientFor(BatchNorm.COUNT, dCount);
        }
        if (layerConf().isBatchRenorm()) {
            INDArray dStep = gradientViews.get(BatchNorm.RENORM_STEP);
            dStep.assign(counted);
            gradient.setGradientFor(BatchNorm.RENORM_STEP, dStep);
        }
    }

    /** Writes into {@code dMean}, {@code dVar} the pseudo-gradients of the average update of {@code batches}. */
    private void averageUpdate(INDArray dMean, INDArray dVar, BatchStatistics... batches) {
        double weight;
        if (layerConf().getAveraging() == PopulationAveraging.CUMULATIVE) {
            weight = PopulationUpdate.cumulativeWeight(getParam(BatchNorm.COUNT).getDouble(0));
        } else {
            weight = PopulationUpdate.movingAverageWeight(layerConf().getDecay());
        }
        if (batches.length == 1) {
            BatchStatistics batch = batches[0];
            PopulationUpdate.pseudoGradient(weight, batch.valuesPerFeature, getParam(BatchNorm.MEAN),
                    getParam(BatchNorm.VAR), batch.mean, batch.variance, dMean, dVar);
        } else {
            long features = layerConf().getNOut();
            INDArray meanSum = Nd4j.zeros(DataType.DOUBLE, features);
            INDArray varSum = Nd4j.zeros(DataType.DOUBLE, features);
            INDArray meanStep = Nd4j.create(DataType.DOUBLE, features);
            INDArray varStep = Nd4j.create(DataType.DOUBLE, features);
            for (BatchStatistics batch : batches) {
                PopulationUpdate.pseudoGradient(weight, batch.valuesPerFeature, getParam(BatchNorm.MEAN),
                        getParam(BatchNorm.VAR), batch.mean, batch.variance, meanStep, varStep);
                meanSum.addi(meanStep);
                varSum.addi(varStep);
            }
            dMean.assign(meanSum.divi(batches.length).castTo(dMean.dataType()));
            dVar.assign(varSum.divi(batches.length).castTo(dVar.dataType()));
        }
    }

    /**
     * Gradient with respect to the normalized output {@code y = γ·(x − mean)·invStd + β} (γ, β: γ', β' of a
     * renormalized batch), through the configured
     * activation (identity by default). Both backward passes use it, with the batch or the population statistics.
     */
    private INDArray activationGradient(INDArray x, INDArray epsilon, FeatureLayout layout, INDArray gamma,
                                        INDArray beta, INDArray mean, INDArray invStd) {
        IActivation activation = activation();
        if (activation instanceof ActivationIdentity) {
            return epsilon;
        }
        // Recompute the pre-activation y rather than keeping a copy of it from the forward pass.
        LinearMap map = LinearMap.of(gamma, beta, mean, invStd);
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
        remember(Pass.NONE);
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

    /** What a forward pass leaves for the backward pass: the three ways through the layer, or none. */
    private enum Pass {
        /** No forward pass since the last backward pass: nothing to backpropagate. */
        NONE,
        /** Algorithm 1 over the whole mini-batch (over all replicas' shards when synchronized). */
        BATCH,
        /** Ghost batches, or Batch Renormalization's correction: one set of statistics per sub-batch. */
        SUB_BATCHES,
        /** The population map: inference, or training with frozen statistics. */
        POPULATION
    }

    /** Per-feature statistics of the last training batch, in double, kept outside any workspace until backprop. */
    private static final class BatchStatistics {
        final FeatureLayout layout;
        /** Values per feature the statistics are over: the whole mini-batch's when synchronized over replicas. */
        long valuesPerFeature;
        final INDArray mean;
        final INDArray variance;
        /** 1/√(σ²_B + ε), as the forward kernel normalized with it. */
        final INDArray invStd;
        /** The replicas' synchronization the statistics were combined with, or null. */
        BatchStatisticsSync.Participant sync;
        /** First example and number of examples of a sub-batch (ghost batch). */
        int start;
        int size;
        /** Batch renorm's r and d per feature, or null (r ≡ 1, d ≡ 0). */
        double[] r;
        double[] d;

        private BatchStatistics(FeatureLayout layout, long valuesPerFeature, INDArray mean, INDArray variance,
                                INDArray invStd) {
            this.layout = layout;
            this.valuesPerFeature = valuesPerFeature;
            this.mean = mean;
            this.variance = variance;
            this.invStd = invStd;
        }

        /** Double vectors whatever the layer's data type (see the class comment). */
        static BatchStatistics allocate(long features, FeatureLayout layout, long m) {
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                return new BatchStatistics(layout, m, Nd4j.create(DataType.DOUBLE, features),
                        Nd4j.create(DataType.DOUBLE, features), Nd4j.create(DataType.DOUBLE, features));
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

        /** Computes r and d against the moving averages, with the schedule's limits at iteration {@code step}. */
        void correct(INDArray populationMean, INDArray populationVar, double eps, long step,
                     org.bn4j.RenormSchedule schedule) {
            int features = Math.toIntExact(mean.length());
            r = new double[features];
            d = new double[features];
            BatchRenorm.correction(mean.toDoubleVector(), variance.toDoubleVector(), populationMean.toDoubleVector(),
                    populationVar.toDoubleVector(), eps, schedule.rMaxAt(step), schedule.dMaxAt(step), r, d);
        }

        /** γ' = γ·r in {@code type}; γ itself (null for γ = 1) without a correction. */
        INDArray scale(INDArray gamma, DataType type) {
            if (r == null) {
                return gamma;
            }
            return Nd4j.createFromArray(BatchRenorm.scale(gamma == null ? null : gamma.toDoubleVector(), r))
                    .castTo(type);
        }

        /** β' = β + γ·d in {@code type}; β itself (null for β = 0) without a correction. */
        INDArray shift(INDArray gamma, INDArray beta, DataType type) {
            if (d == null) {
                return beta;
            }
            return Nd4j.createFromArray(BatchRenorm.shift(gamma == null ? null : gamma.toDoubleVector(),
                    beta == null ? null : beta.toDoubleVector(), d)).castTo(type);
        }
    }
}
