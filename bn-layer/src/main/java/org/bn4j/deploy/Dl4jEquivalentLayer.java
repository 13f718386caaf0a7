package org.bn4j.deploy;

import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A bn4j layer configuration that computes exactly what one of DL4J's built-in layers computes, with the same
 * parameters (keys, shapes, order) and a different runtime only: for example bn-conv's {@code FastConvolution}, a
 * {@code ConvolutionLayer} trained through other kernels. {@link BatchNormFolding#fold} replaces every such layer by
 * its DL4J equivalent before folding, so that a normalization layer that follows it folds as it would after the
 * DL4J layer and the folded network holds only DL4J classes.
 *
 * <p>It lives in bn-layer (which every bn4j module can see) so that folding needs no dependency on the modules that
 * implement it.
 */
public interface Dl4jEquivalentLayer {

    /**
     * A new configuration of DL4J's own class with every setting of this one (name, activation, updaters, ...); its
     * layer takes this layer's parameters unchanged.
     *
     * @return the DL4J configuration, never {@code this}
     */
    Layer toDl4jLayer();
}
