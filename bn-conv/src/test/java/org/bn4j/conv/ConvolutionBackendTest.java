package org.bn4j.conv;

import org.bn4j.conv.layer.FastConvolutionLayer;
import org.bn4j.conv.testutil.ConvCase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Backend selection: oneDNN is detected when the onednn build is loaded, the system property and
 * {@link ConvolutionBackend#force} select the path, and the forced DL4J fallback computes exactly what DL4J's
 * ConvolutionLayer computes (bit for bit: it is DL4J's code).
 *
 * <p>This class also runs in a second surefire execution where JavaCPP loads libnd4j without oneDNN
 * ({@code -Dorg.bytedeco.javacpp.platform.extension=}), see the module's pom.
 */
class ConvolutionBackendTest {

    @AfterEach
    void automaticBackend() {
        ConvolutionBackend.force(null);
        System.clearProperty(ConvolutionBackend.PROPERTY);
    }

    /** True when this JVM was told to load libnd4j without oneDNN. */
    static boolean withoutOneDnn() {
        return "".equals(System.getProperty("org.bytedeco.javacpp.platform.extension"));
    }

    @Test
    void oneDnnIsDetectedExactlyWhenTheOneDnnBuildIsLoaded() {
        assertEquals(!withoutOneDnn(), ConvolutionBackend.libnd4jHasOneDnn());
    }

    @Test
    void automaticChoiceOnTheCpuBackendIsTheOps() {
        ConvolutionBackend.Decision d = ConvolutionBackend.decide();
        assertEquals(ConvolutionBackend.OPS, d.backend());
        assertTrue(d.reason().contains(withoutOneDnn() ? "WITHOUT oneDNN" : "built with oneDNN"), d.reason());
    }

    @Test
    void systemPropertyAndForceSelectTheBackend() {
        System.setProperty(ConvolutionBackend.PROPERTY, "dl4j");
        assertEquals(ConvolutionBackend.DL4J, ConvolutionBackend.current());
        System.setProperty(ConvolutionBackend.PROPERTY, "ops");
        assertEquals(ConvolutionBackend.OPS, ConvolutionBackend.current());
        ConvolutionBackend.force(ConvolutionBackend.DL4J);
        assertEquals(ConvolutionBackend.DL4J, ConvolutionBackend.current(), "force wins over the property");
    }

    @Test
    void dilatedFloatConvolutionAvoidsOneDnnOnly() {
        FastConvolutionLayer dilated = (FastConvolutionLayer) ConvCase
                .parse("NCHW Truncate k3x3 s1x1 p0x0 d2x2 bias relu 2x3x9x9 4").layer(true, DataType.FLOAT);
        FastConvolutionLayer dilatedDouble = (FastConvolutionLayer) ConvCase
                .parse("NCHW Truncate k3x3 s1x1 p0x0 d2x2 bias relu 2x3x9x9 4").layer(true, DataType.DOUBLE);
        assertEquals(withoutOneDnn() ? ConvolutionBackend.OPS : ConvolutionBackend.DL4J, dilated.backend(false));
        assertEquals(ConvolutionBackend.OPS, dilatedDouble.backend(false));
        assertEquals(withoutOneDnn() ? ConvolutionBackend.DL4J : ConvolutionBackend.OPS, dilatedDouble.backend(true));
    }

    @Test
    void withoutOneDnnTrainingRunsDl4jsCodeAndInferenceTheOps() {
        FastConvolutionLayer layer = (FastConvolutionLayer) ConvCase
                .parse("NCHW Same k3x3 s1x1 p0x0 d1x1 bias relu 2x3x6x6 4").layer(true, DataType.FLOAT);
        assertEquals(ConvolutionBackend.OPS, layer.backend(false));
        assertEquals(withoutOneDnn() ? ConvolutionBackend.DL4J : ConvolutionBackend.OPS, layer.backend(true));
        ConvolutionBackend.force(ConvolutionBackend.OPS);
        assertEquals(ConvolutionBackend.OPS, layer.backend(true), "forcing the ops overrides the measured choice");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NCHW Same k3x3 s2x2 p0x0 d1x1 bias relu 2x3x8x7 4",
            "NHWC Truncate k3x2 s2x1 p1x2 d1x1 nobias tanh 2x3x9x7 4"})
    void forcedFallbackIsDl4jsOwnComputation(String spec) {
        ConvolutionBackend.force(ConvolutionBackend.DL4J);
        ConvCase c = ConvCase.parse(spec);
        FastConvolutionLayer layer = (FastConvolutionLayer) c.layer(true, DataType.FLOAT);
        assertEquals(ConvolutionBackend.DL4J, layer.backend(true));
        assertEquals(ConvolutionBackend.DL4J, layer.backend(false));
        Dl4jDifferentialTest.compare(c, DataType.FLOAT, 0.0);
    }
}
