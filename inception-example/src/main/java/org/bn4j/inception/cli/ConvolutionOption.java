package org.bn4j.inception.cli;

import org.bn4j.inception.net.ConvolutionKind;
import picocli.CommandLine.Option;

/** {@code --conv fast|dl4j}: which convolution layer the network is built with (train, experiment fig3, search). */
public class ConvolutionOption {

    @Option(names = "--conv", defaultValue = "FAST", paramLabel = "fast|dl4j",
            description = "Convolution layer: fast = bn4j's oneDNN-backed FastConvolution, dl4j = DL4J's "
                    + "ConvolutionLayer, for comparison; same parameters and results (default: fast).")
    ConvolutionKind convolution;

    /** The chosen convolution layer. */
    public ConvolutionKind convolution() {
        return convolution;
    }
}
