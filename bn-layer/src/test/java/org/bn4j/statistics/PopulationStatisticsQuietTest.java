package org.bn4j.statistics;

import org.bn4j.BatchNorm;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.bn4j.testutil.TestNetworks.column;
import static org.bn4j.testutil.TestNetworks.iterator;
import static org.bn4j.testutil.TestNetworks.network;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A library stays quiet: Algorithm 2 prints nothing and logs nothing at INFO (the test logging configuration puts
 * {@link PopulationStatistics} at INFO); progress is opt-in through a callback.
 */
class PopulationStatisticsQuietTest {

    @Test
    void estimatePrintsAndLogsNothing() {
        MultiLayerNetwork net = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).build());
        String printed = captured(() -> PopulationStatistics.estimate(net,
                iterator(column(1, 2, 3), column(4, 6, 8), column(5, 7)), 10));
        assertEquals("", printed);
    }

    @Test
    void progressIsReportedOnlyToACallbackThatAsksForIt() {
        MultiLayerNetwork net = network(DataType.DOUBLE, new BatchNorm.Builder().nIn(1).build());
        List<Integer> done = new ArrayList<>();
        String printed = captured(() -> PopulationStatistics.estimate(net,
                iterator(column(1, 2, 3), column(4, 6, 8), column(5, 7)), 10, done::add));
        assertEquals(List.of(1, 2, 3), done);
        assertEquals("", printed);
    }

    private static String captured(Runnable action) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        System.setOut(capture);
        System.setErr(capture);
        try {
            action.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
