package org.bn4j.statistics;

import org.bn4j.BatchNorm;
import org.bn4j.layer.BatchNormLayer;
import org.bn4j.math.FeatureLayout;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the batch-normalization layers of a network, bn4j's {@link BatchNorm} and DL4J's built-in
 * {@code BatchNormalization}, and reads and writes their population statistics in one form (E[x] and Var[x]).
 * Layers wrapped in another layer (for example DL4J's {@code FrozenLayer}) are not listed: their parameters are
 * frozen.
 *
 * <p>Shared by Algorithm 2 ({@link PopulationStatistics}) and the network rewrites of {@code org.bn4j.deploy}
 * (folding, conversion), hence public; applications do not need it.
 */
public final class NormalizationLayers {

    private NormalizationLayers() {
    }

    /** One batch-normalization layer of a network. */
    public static final class Entry {
        /** The layer's name in its network ("layer" + index for an unnamed layer of a MultiLayerNetwork). */
        public final String name;
        /** The runtime layer. */
        public final Layer layer;

        public Entry(String name, Layer layer) {
            this.name = name;
            this.layer = layer;
        }

        public boolean isBn4j() {
            return layer instanceof BatchNormLayer;
        }

        /** "BatchNorm layer "name"" or "DL4J BatchNormalization layer "name"", for messages. */
        public String describe() {
            return (isBn4j() ? "BatchNorm layer" : "DL4J BatchNormalization layer") + " \"" + name + "\"";
        }

        public double eps() {
            return isBn4j() ? bn4jConf().getEps() : dl4jConf().getEps();
        }

        public BatchNorm bn4jConf() {
            return (BatchNorm) layer.conf().getLayer();
        }

        public org.deeplearning4j.nn.conf.layers.BatchNormalization dl4jConf() {
            return (org.deeplearning4j.nn.conf.layers.BatchNormalization) layer.conf().getLayer();
        }

        /** Where the features of an input of this rank are. */
        public FeatureLayout layout(int rank) {
            if (rank != 2 && rank != 4) {
                throw new IllegalArgumentException(describe() + ": population statistics support dense (rank 2) and "
                        + "convolutional (rank 4) input, got rank " + rank);
            }
            CNN2DFormat format = isBn4j() ? bn4jConf().getDataFormat() : dl4jConf().getCnn2DFormat();
            return FeatureLayout.of(rank, format);
        }

        public INDArray mean() {
            return layer.getParam(isBn4j() ? BatchNorm.MEAN : BatchNormalizationParamInitializer.GLOBAL_MEAN);
        }

        /** The population variance (a new array for DL4J's log10-std parameterization). */
        public INDArray variance() {
            if (isBn4j()) {
                return layer.getParam(BatchNorm.VAR);
            }
            if (dl4jConf().isUseLogStd()) {
                INDArray log10std = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                INDArray std = Transforms.pow(log10std.like().assign(10.0), log10std, false);
                return std.muli(std);
            }
            return layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
        }

        /** γ, or null when γ is fixed at 1 (bn4j without learned γ/β) or a constant (DL4J locked γ/β). */
        public INDArray gamma() {
            if (isBn4j()) {
                return bn4jConf().isLearnGammaBeta() ? layer.getParam(BatchNorm.GAMMA) : null;
            }
            return dl4jConf().isLockGammaBeta() ? null : layer.getParam(BatchNormalizationParamInitializer.GAMMA);
        }

        public INDArray beta() {
            if (isBn4j()) {
                return bn4jConf().isLearnGammaBeta() ? layer.getParam(BatchNorm.BETA) : null;
            }
            return dl4jConf().isLockGammaBeta() ? null : layer.getParam(BatchNormalizationParamInitializer.BETA);
        }

        /** γ as a value for every feature (1 or DL4J's locked constant when not a parameter). */
        public INDArray gammaValues(long features) {
            INDArray g = gamma();
            if (g != null) {
                return g;
            }
            double value = isBn4j() ? 1.0 : dl4jConf().getGamma();
            return org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {features}, value, layer.getParam(
                    isBn4j() ? BatchNorm.MEAN : BatchNormalizationParamInitializer.GLOBAL_MEAN).dataType());
        }

        public INDArray betaValues(long features) {
            INDArray b = beta();
            if (b != null) {
                return b;
            }
            double value = isBn4j() ? 0.0 : dl4jConf().getBeta();
            return org.nd4j.linalg.factory.Nd4j.valueArrayOf(new long[] {features}, value, mean().dataType());
        }

        /** Writes E[x] and Var[x] (cast to the parameter type); DL4J's log10-std form gets log10(√Var). */
        public void setStatistics(INDArray mean, INDArray variance) {
            mean().assign(mean.reshape(mean().shape()));
            if (isBn4j() || !dl4jConf().isUseLogStd()) {
                INDArray var = isBn4j() ? layer.getParam(BatchNorm.VAR)
                        : layer.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR);
                var.assign(variance.reshape(var.shape()));
            } else {
                INDArray log10std = layer.getParam(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                log10std.assign(Transforms.log(variance, 10.0, true).muli(0.5).reshape(log10std.shape()));
            }
        }
    }

    public static boolean isNormalization(Layer layer) {
        return layer instanceof BatchNormLayer || layer instanceof BatchNormalization;
    }

    /** A normalization layer inside a wrapper such as DL4J's FrozenLayer: the wrapper's class name, else null. */
    public static String wrapperOfNormalization(Layer layer) {
        if (layer instanceof org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer) {
            Layer inner = ((org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer) layer).getUnderlying();
            if (isNormalization(inner) || wrapperOfNormalization(inner) != null) {
                return layer.getClass().getSimpleName();
            }
        }
        return null;
    }

    public static List<Entry> of(MultiLayerNetwork net) {
        List<Entry> out = new ArrayList<>();
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (isNormalization(layers[i])) {
                String name = layers[i].conf().getLayer().getLayerName();
                out.add(new Entry(name == null ? "layer" + i : name, layers[i]));
            }
        }
        return out;
    }

    public static List<Entry> of(ComputationGraph net) {
        List<Entry> out = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            if (isNormalization(layer)) {
                out.add(new Entry(layer.conf().getLayer().getLayerName(), layer));
            }
        }
        return out;
    }
}
