package org.bn4j.spark;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JVM setting that gradient sharing needs. */
class SparkSettingsTest {

    @Test
    void theAeronTimeoutIsSetWhenAbsentAndKeptWhenGiven() {
        String given = System.getProperty(SparkSettings.AERON_TIMEOUT);
        try {
            System.clearProperty(SparkSettings.AERON_TIMEOUT);
            SparkSettings.extendAeronTimeout();
            assertEquals(SparkSettings.AERON_TIMEOUT_NANOS, System.getProperty(SparkSettings.AERON_TIMEOUT));

            System.setProperty(SparkSettings.AERON_TIMEOUT, "123");
            SparkSettings.extendAeronTimeout();
            assertEquals("123", System.getProperty(SparkSettings.AERON_TIMEOUT));
        } finally {
            if (given == null) {
                System.clearProperty(SparkSettings.AERON_TIMEOUT);
            } else {
                System.setProperty(SparkSettings.AERON_TIMEOUT, given);
            }
        }
    }
}
