package org.bn4j.layer;

import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;

import java.util.List;

/**
 * The training configuration a {@link BatchNormLayer} shows DL4J's updater: its layer configuration, except that
 * it reports no gradient normalization. DL4J would apply it to the whole layer gradient, population-statistics
 * pseudo-gradients included; the layer applies it to γ/β itself ({@link GammaBetaNormalization}).
 */
final class UpdaterConfig implements TrainingConfig {

    private final TrainingConfig layer;

    UpdaterConfig(TrainingConfig layer) {
        this.layer = layer;
    }

    @Override
    public String getLayerName() {
        return layer.getLayerName();
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return layer.getRegularizationByParam(paramName);
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return layer.isPretrainParam(paramName);
    }

    @Override
    public IUpdater getUpdaterByParam(String paramName) {
        return layer.getUpdaterByParam(paramName);
    }

    @Override
    public GradientNormalization getGradientNormalization() {
        return GradientNormalization.None;
    }

    @Override
    public double getGradientNormalizationThreshold() {
        return layer.getGradientNormalizationThreshold();
    }

    @Override
    public void setDataType(DataType dataType) {
        layer.setDataType(dataType);
    }
}
