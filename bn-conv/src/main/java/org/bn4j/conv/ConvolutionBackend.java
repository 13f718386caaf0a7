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
 * {@link #DL4J}. Each distinct decision is logged once at INFO through slf4j.
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

    /** A backend together with the reason it was chosen. */
    public record Decision(ConvolutionBackend backend, String reason) {
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
     * The backend for one layer: {@link #current()}, except that a dilated float32 convolution goes through DL4J's
     * code when libnd4j has oneDNN, whose conv2d in libnd4j 1.0.0-M2.1 fails for dilation &gt; 1 ("could not create
     * a descriptor for a dilated convolution forward propagation primitive").
     */
    public static ConvolutionBackend forLayer(int[] dilation, DataType dataType) {
        ConvolutionBackend backend = current();
        boolean dilated = dilation[0] != 1 || dilation[1] != 1;
        if (backend == OPS && dilated && dataType == DataType.FLOAT && libnd4jHasOneDnn()) {
            return logOnce(new Decision(DL4J, "dilated float32 convolution (libnd4j's oneDNN conv2d rejects "
                    + "dilation > 1); other layers use the ops"));
        }
        return backend;
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
            return new Decision(f, "forced by ConvolutionBackend.force(" + f + ")");
        }
        String property = System.getProperty(PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (property) {
            case "ops":
                return new Decision(OPS, "-D" + PROPERTY + "=ops" + oneDnnNote());
            case "dl4j":
                return new Decision(DL4J, "-D" + PROPERTY + "=dl4j");
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
                    ? new Decision(OPS, "automatic on ND4J's CPU backend" + oneDnnNote())
                    : new Decision(DL4J, "automatic: ND4J backend " + backendName + " is not the CPU backend");
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
