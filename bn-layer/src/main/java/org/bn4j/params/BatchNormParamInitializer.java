package org.bn4j.params;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter layout of a {@link BatchNorm} layer, as rank-1 views into the network's flat parameter
 * vector.
 *
 * <p>Order: {@code gamma} (nOut, init 1) and {@code beta} (nOut, init 0) when γ/β are learned; then the population
 * statistics {@code mean} (nOut, init 0) and {@code var} (nOut, init 1, stored as a variance); then, for
 * {@link PopulationAveraging#CUMULATIVE} only, {@code count} (1 value, init 0): the number of batches averaged so
 * far; then, for Batch Renormalization only, {@code renormStep} (1 value, init 0): the iterations trained, the clock
 * of its {@link org.bn4j.RenormSchedule}. Population statistics are parameters so that serialization and parameter averaging carry them; they have a
 * NoOp updater and no regularization (see {@link BatchNorm#getUpdaterByParam(String)}).
 */
public final class BatchNormParamInitializer implements ParamInitializer {

    /** Learned scale γ. */
    public static final String GAMMA = "gamma";
    /** Learned shift β. */
    public static final String BETA = "beta";
    /** Population mean E[x]. */
    public static final String MEAN = "mean";
    /** Population variance Var[x]. */
    public static final String VAR = "var";
    /** Number of batches in a cumulative average (cumulative averaging only). */
    public static final String COUNT = "count";
    /** Iterations trained with Batch Renormalization (its schedule's clock; batch renorm only). */
    public static final String RENORM_STEP = "renormStep";

    private static final BatchNormParamInitializer INSTANCE = new BatchNormParamInitializer();

    private BatchNormParamInitializer() {
    }

    public static BatchNormParamInitializer getInstance() {
        return INSTANCE;
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        BatchNorm bn = (BatchNorm) layer;
        long perFeature = bn.isLearnGammaBeta() ? 4 : 2;
        return perFeature * bn.getNOut() + (hasCount(bn) ? 1 : 0) + (bn.isBatchRenorm() ? 1 : 0);
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        BatchNorm bn = (BatchNorm) layer;
        List<String> keys = new ArrayList<>(5);
        if (bn.isLearnGammaBeta()) {
            keys.add(GAMMA);
            keys.add(BETA);
        }
        keys.add(MEAN);
        keys.add(VAR);
        if (hasCount(bn)) {
            keys.add(COUNT);
        }
        if (bn.isBatchRenorm()) {
            keys.add(RENORM_STEP);
        }
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return false;
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramView, boolean initializeParams) {
        BatchNorm bn = (BatchNorm) conf.getLayer();
        Map<String, INDArray> views = slice(bn, paramView);
        if (initializeParams) {
            for (Map.Entry<String, INDArray> e : views.entrySet()) {
                e.getValue().assign(initialValue(e.getKey()));
            }
        }
        for (String key : views.keySet()) {
            conf.addVariable(key);
        }
        return Collections.synchronizedMap(views);
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return slice((BatchNorm) conf.getLayer(), gradientView);
    }

    /** The initial value of a parameter: γ = 1, β = 0, E[x] = 0, Var[x] = 1, count = 0. */
    public static double initialValue(String key) {
        switch (key) {
            case GAMMA:
            case VAR:
                return 1.0;
            case BETA:
            case MEAN:
            case COUNT:
            case RENORM_STEP:
                return 0.0;
            default:
                throw new IllegalArgumentException("Unknown BatchNorm parameter \"" + key + "\"");
        }
    }

    /**
     * True for the population statistics (mean, var, count) and the renorm step count, which the optimizer never
     * changes.
     */
    public static boolean isPopulationStatistic(String key) {
        return MEAN.equals(key) || VAR.equals(key) || COUNT.equals(key) || RENORM_STEP.equals(key);
    }

    /** True for the one-value parameters (count, renorm step). */
    public static boolean isScalar(String key) {
        return COUNT.equals(key) || RENORM_STEP.equals(key);
    }

    private static boolean hasCount(BatchNorm bn) {
        return bn.getAveraging() == PopulationAveraging.CUMULATIVE;
    }

    private Map<String, INDArray> slice(BatchNorm bn, INDArray flat) {
        long nOut = bn.getNOut();
        INDArray vector = flat.reshape(flat.length());
        Map<String, INDArray> out = new LinkedHashMap<>();
        long offset = 0;
        for (String key : paramKeys(bn)) {
            long size = isScalar(key) ? 1 : nOut;
            out.put(key, vector.get(NDArrayIndex.interval(offset, offset + size)));
            offset += size;
        }
        return out;
    }
}
