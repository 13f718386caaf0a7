package org.bn4j.conv;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The thread count of the batch split: force, the system property, the automatic choice, bad values. */
class ConvolutionThreadsTest {

    @AfterEach
    void restore() {
        ConvolutionThreads.force(0);
        System.clearProperty(ConvolutionThreads.PROPERTY);
    }

    @Test
    void withoutThePropertyNothingIsSplit() {
        ConvolutionThreads.Decision d = ConvolutionThreads.current();
        assertEquals(1, d.threads(), d.reason());
        assertFalse(d.automatic());
        assertTrue(d.reason().startsWith("default"), d.reason());
    }

    @Test
    void automaticUsesTheCoresLibnd4jLeavesFree() {
        System.setProperty(ConvolutionThreads.PROPERTY, "auto");
        ConvolutionThreads.Decision d = ConvolutionThreads.current();
        int expected = Math.max(1, Runtime.getRuntime().availableProcessors()
                / Math.max(1, Nd4j.getEnvironment().maxThreads()));
        assertEquals(expected, d.threads(), d.reason());
        assertTrue(d.automatic());
        assertTrue(d.reason().startsWith("automatic"), d.reason());
    }

    @Test
    void thePropertySetsTheThreadCount() {
        System.setProperty(ConvolutionThreads.PROPERTY, "3");
        assertEquals(3, ConvolutionThreads.current().threads());
        assertFalse(ConvolutionThreads.current().automatic());
        System.setProperty(ConvolutionThreads.PROPERTY, " 1 ");
        assertEquals(1, ConvolutionThreads.current().threads());
        System.setProperty(ConvolutionThreads.PROPERTY, "AUTO");
        assertTrue(ConvolutionThreads.current().automatic());
    }

    @Test
    void forceWinsOverTheProperty() {
        System.setProperty(ConvolutionThreads.PROPERTY, "1");
        ConvolutionThreads.force(2);
        assertEquals(2, ConvolutionThreads.current().threads());
        ConvolutionThreads.force(0);
        assertEquals(1, ConvolutionThreads.current().threads());
    }

    @Test
    void badValuesAreClearErrors() {
        for (String bad : new String[] {"0", "-2", "two"}) {
            System.setProperty(ConvolutionThreads.PROPERTY, bad);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ConvolutionThreads::current);
            assertTrue(e.getMessage().contains("bn4j.conv.threads"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> ConvolutionThreads.force(-1));
    }
}
