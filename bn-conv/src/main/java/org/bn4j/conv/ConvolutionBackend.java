package org.bn4j.conv;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which code computes a {@link FastConvolution} layer, and why.
 *
 * <p>The choice, in order of precedence: {@link #force(ConvolutionBackend)} (for tests and applications), then the
 * system property {@code -Dbn4j.conv=auto|ops|dl4j}, then automatic selection: {@link #OPS} on ND4J's CPU backend
 * (libnd4j's {@code conv2d}/{@code conv2d_bp}, through oneDNN when the loaded libnd4j was built with it), otherwise
 * {@link #DL4J}; {@link #forLayer} refines this per call. Each distinct decision is logged once at INFO through
 * slf4j.
 */
public enum ConvolutionBackend {

    /** libnd4j's {@code conv2d} / {@code conv2d_bp} custom ops: forward once, backward without recomputing it. */
    OPS,
    /** DL4J's own {@code ConvolutionLayer} code (im2col + gemm; its backward recomputes the forward). */
    DL4J;

    /** The system property that selects the backend: {@code auto} (the default), {@code ops} or {@code dl4j}. */
    public static final String PROPERTY = "bn4j.conv";

    private static final Logger log = LoggerFactory.getLogger(ConvolutionBackend.class);
    private static final Set<String> logged = ConcurrentHashMap.newKeySet();
    private static volatile ConvolutionBackend forced;
    private static volatile Decision automatic;
    private static volatile Boolean oneDnn;

    /**
     * A backend together with the reason it was chosen.
     *
     * @param backend   the backend
     * @param reason    why, for the log
     * @param automatic whether it was chosen automatically (neither forced nor set by the system property)
     */
    public record Decision(ConvolutionBackend backend, String reason, boolean automatic) {
    }

    /**
     * Forces {@code backend} for every FastConvolution layer of this JVM, overriding the system property; null
     * returns to the property / automatic choice.
     */
    public static void force(ConvolutionBackend backend) {
        forced = backend;
    }

    /** The backend layers use now (logs the decision the first time it is made). */
    public static ConvolutionBackend current() {
        return logOnce(decide());
    }

    /**
     * The backend for one call of a layer: {@link #current()}, with two exceptions.
     * <ul>
     *   <li>A dilated float32 convolution goes through DL4J's code when libnd4j has oneDNN, whose conv2d in libnd4j
     *       1.0.0-M2.1 fails for dilation &gt; 1 ("could not create a descriptor for a dilated convolution forward
     *       propagation primitive").</li>
     *   <li>Chosen automatically on libnd4j WITHOUT oneDNN, training (forward and backward) goes through DL4J's
     *       code and only inference through the ops: measured single-threaded, libnd4j's own conv2d + conv2d_bp
     *       were no faster than DL4J's layer for training (0.6–1.1×, slowest with one input channel) but 1.6–2.8×
     *       faster for inference (docs/benchmarks.md).</li>
     * </ul>
     *
     * @param training whether the call is part of a training step (forward with training=true, or backward)
     */
    public static ConvolutionBackend forLayer(int[] dilation, DataType dataType, boolean training) {
        Decision d = decide();
        if (d.backend() == OPS) {
            boolean dilated = dilation[0] != 1 || dilation[1] != 1;
            if (dilated && dataType == DataType.FLOAT && libnd4jHasOneDnn()) {
                d = new Decision(DL4J, "dilated float32 convolution (libnd4j's oneDNN conv2d rejects "
                        + "dilation > 1); other layers use the ops", d.automatic());
            } else if (training && d.automatic() && !libnd4jHasOneDnn()) {
                d = new Decision(DL4J, "training on libnd4j without oneDNN (its own conv2d ops are no faster than "
                        + "DL4J's layer there); inference uses the ops", true);
            }
        }
        return logOnce(d);
    }

    private static ConvolutionBackend logOnce(Decision d) {
        if (logged.add(d.backend() + ": " + d.reason())) {
            log.info("bn4j FastConvolution computes through {}: {}", d.backend() == OPS
                    ? "libnd4j's conv2d/conv2d_bp ops" : "DL4J's ConvolutionLayer code", d.reason());
        }
        return d.backend();
    }

    /** The current decision and its reason, without logging. */
    public static Decision decide() {
        ConvolutionBackend f = forced;
        if (f != null) {
            return new Decision(f, "forced by ConvolutionBackend.force(" + f + ")", false);
        }
        String property = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (property) {
            case "ops":
                return new Decision(OPS, "-D" + PROPERTY + "=ops" + oneDnnNote(), false);
            case "dl4j":
                return new Decision(DL4J, "-D" + PROPERTY + "=dl4j", false);
            case "auto":
            case "":
                return automatic();
            default:
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + property
                        + " is not one of auto, ops, dl4j");
        }
    }

    /** Whether the loaded libnd4j was built with oneDNN ({@code HAVE_ONEDNN} in its build information). */
    public static boolean libnd4jHasOneDnn() {
        Boolean has = oneDnn;
        if (has == null) {
            try {
                String info = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
                has = info != null && info.contains("HAVE_ONEDNN");
            } catch (RuntimeException | LinkageError e) {
                has = false;
            }
            oneDnn = has;
        }
        return has;
    }

    private static Decision automatic() {
        Decision d = automatic;
        if (d == null) {
            String backendName = Nd4j.getBackend().getClass().getSimpleName();
            d = backendName.equals("CpuBackend")
                    ? new Decision(OPS, "automatic on ND4J's CPU backend" + oneDnnNote(), true)
                    : new Decision(DL4J, "automatic: ND4J backend " + backendName + " is not the CPU backend",
                    true);
            automatic = d;
        }
        return d;
    }

    private static String oneDnnNote() {
        return libnd4jHasOneDnn() ? " (libnd4j built with oneDNN)"
                : " (libnd4j built WITHOUT oneDNN: its own im2col + gemm; add "
                + "org.nd4j:nd4j-native:linux-x86_64-onednn for oneDNN)";
    }
}
