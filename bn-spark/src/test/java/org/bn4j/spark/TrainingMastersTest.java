package org.bn4j.spark;

import org.junit.jupiter.api.Test;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Where gradient sharing finds its driver, for a Spark master URL. */
class TrainingMastersTest {

    @Test
    void aLocalMasterSharesOverLoopbackAndAClusterMasterFindsTheDriverFromTheEnvironment() {
        VoidConfiguration local = TrainingMasters.forMaster("local[2]", 40123);
        assertEquals(SparkSettings.LOOPBACK, local.getControllerAddress());
        assertEquals(40123, local.getPortSupplier().getPort());

        VoidConfiguration cluster = TrainingMasters.forMaster("spark://host:7077", 40124);
        assertNull(cluster.getControllerAddress(), "DL4J reads SPARK_PUBLIC_DNS or DL4J_VOID_IP");
        assertEquals(40124, cluster.getPortSupplier().getPort());
    }
}
