package org.bn4j.inception.monitor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitorTargetTest {

    @Test
    void aTargetIsALayerWithAnOptionalUnit() {
        assertEquals(new MonitorTarget("3a/3x3/bn", MonitorTarget.ALL_UNITS), MonitorTarget.parse("3a/3x3/bn"));
        assertEquals(new MonitorTarget("sigmoid3", 7), MonitorTarget.parse(" sigmoid3:7 "));
        assertTrue(MonitorTarget.parse("2").allUnits());
        assertEquals("sigmoid3:7", MonitorTarget.parse("sigmoid3:7").label());
    }

    @Test
    void listsAreCommaSeparated() {
        assertEquals(List.of(MonitorTarget.layer("a"), new MonitorTarget("b", 0)),
                MonitorTarget.parseList("a, b:0,"));
    }

    @Test
    void malformedTargetsAreRejectedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MonitorTarget.parse("layer:x"));
        assertTrue(e.getMessage().contains("LAYER:UNIT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MonitorTarget.parse(":3"));
        assertThrows(IllegalArgumentException.class, () -> MonitorTarget.parse("a:-2"));
        assertThrows(IllegalArgumentException.class, () -> MonitorTarget.parseList(" , "));
    }
}
