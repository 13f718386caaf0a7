package org.bn4j.arbiter;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.RenormSchedule;
import org.deeplearning4j.arbiter.ComputationGraphSpace;
import org.deeplearning4j.arbiter.MultiLayerSpace;
import org.deeplearning4j.arbiter.layers.ConvolutionLayerSpace;
import org.deeplearning4j.arbiter.layers.DenseLayerSpace;
import org.deeplearning4j.arbiter.layers.GlobalPoolingLayerSpace;
import org.deeplearning4j.arbiter.layers.OutputLayerSpace;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.BooleanSpace;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.DL4JConfiguration;
import org.deeplearning4j.arbiter.GraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchNormLayerSpaceTest {

    private static BatchNormLayerSpace searchedSpace() {
        return new BatchNormLayerSpace.Builder()
                .eps(new ContinuousParameterSpace(1e-5, 1e-3))
                .decay(new ContinuousParameterSpace(0.5, 0.99))
                .averaging(PopulationAveraging.MOVING_AVERAGE, PopulationAveraging.CUMULATIVE)
                .learnGammaBeta(new BooleanSpace())
                .build();
    }

    private static MultiLayerSpace denseSpace() {
        return new MultiLayerSpace.Builder()
                .seed(7)
                .updater(new Sgd(0.1))
                .addLayer(new DenseLayerSpace.Builder().nOut(8).activation(Activation.IDENTITY).build())
                .addLayer(searchedSpace())
                .addLayer(new OutputLayerSpace.Builder().nOut(3).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.feedForward(4))
                .build();
    }

    private static ComputationGraphSpace convolutionalSpace() {
        return new ComputationGraphSpace.Builder()
                .seed(7)
                .updater(new Sgd(0.1))
                .addInputs("in")
                .setInputTypes(InputType.convolutional(8, 8, 1))
                .addLayer("conv", new ConvolutionLayerSpace.Builder().kernelSize(3, 3).nOut(4)
                        .activation(Activation.IDENTITY).hasBias(false).build(), "in")
                .addLayer("bn", new BatchNormLayerSpace.Builder()
                        .decay(new ContinuousParameterSpace(0.5, 0.99))
                        .averaging(PopulationAveraging.MOVING_AVERAGE, PopulationAveraging.CUMULATIVE)
                        .activation(Activation.RELU)
                        .build(), "conv")
                .addLayer("pool", new GlobalPoolingLayerSpace.Builder().poolingType(PoolingType.AVG).build(), "bn")
                .addLayer("out", new OutputLayerSpace.Builder().nOut(3).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build(), "pool")
                .setOutputs("out")
                .build();
    }

    private static List<Object> candidates(CandidateGenerator generator, int count) {
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < count && generator.hasMoreCandidates(); i++) {
            Candidate<?> candidate = generator.getCandidate();
            assertNull(candidate.getException(), () -> "candidate failed: " + candidate.getException());
            values.add(candidate.getValue());
        }
        return values;
    }

    private static RandomSearchGenerator seeded(Object space, long seed) {
        RandomSearchGenerator generator = new RandomSearchGenerator(
                (org.deeplearning4j.arbiter.optimize.api.ParameterSpace<?>) space);
        generator.setRngSeed(seed);
        return generator;
    }

    @Test
    void multiLayerCandidatesHoldBn4jBatchNormWithValuesDrawnFromTheSpace() {
        Set<PopulationAveraging> averagingSeen = EnumSet.noneOf(PopulationAveraging.class);
        Set<Boolean> learnSeen = new HashSet<>();
        for (Object value : candidates(seeded(denseSpace(), 1), 30)) {
            MultiLayerConfiguration conf = ((DL4JConfiguration) value).getMultiLayerConfiguration();
            BatchNorm bn = assertInstanceOf(BatchNorm.class, conf.getConf(1).getLayer());
            assertTrue(bn.getEps() >= 1e-5 && bn.getEps() <= 1e-3, "eps " + bn.getEps());
            assertTrue(bn.getDecay() >= 0.5 && bn.getDecay() <= 0.99, "decay " + bn.getDecay());
            assertEquals(8, bn.getNIn(), "nIn inferred from the dense layer");
            averagingSeen.add(bn.getAveraging());
            learnSeen.add(bn.isLearnGammaBeta());

            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            assertEquals(bn.isLearnGammaBeta(), net.getLayer(1).paramTable().containsKey(BatchNorm.GAMMA));
        }
        assertEquals(EnumSet.allOf(PopulationAveraging.class), averagingSeen);
        assertEquals(Set.of(true, false), learnSeen);
    }

    @Test
    void graphCandidateTrainsAndUpdatesPopulationStatistics() {
        GraphConfiguration value = (GraphConfiguration) candidates(seeded(convolutionalSpace(), 3), 1).get(0);
        BatchNorm bn = assertInstanceOf(BatchNorm.class, layer(value, "bn"));
        assertEquals(4, bn.getNIn(), "channels inferred from the convolution");
        assertTrue(bn.getDecay() >= 0.5 && bn.getDecay() <= 0.99);

        ComputationGraph net = new ComputationGraph(value.getConfiguration());
        net.init();
        INDArray meanBefore = net.getLayer("bn").getParam(BatchNorm.MEAN).dup();
        INDArray features = Nd4j.rand(new long[]{6, 1, 8, 8}).addi(2.0);
        INDArray labels = Nd4j.zeros(6, 3);
        for (int i = 0; i < 6; i++) {
            labels.putScalar(i, i % 3, 1.0);
        }
        net.fit(new DataSet(features, labels));
        assertTrue(Double.isFinite(net.score()));
        assertNotEquals(meanBefore, net.getLayer("bn").getParam(BatchNorm.MEAN));
    }

    @Test
    void multiLayerSpaceSurvivesJsonRoundTripAndGeneratesTheSameCandidates() {
        MultiLayerSpace space = denseSpace();
        String json = space.toJson();
        assertTrue(json.contains(BatchNormLayerSpace.class.getName()), json);
        MultiLayerSpace restored = MultiLayerSpace.fromJson(json);
        assertEquals(space, restored);

        List<Object> original = candidates(seeded(space, 11), 8);
        List<Object> fromJson = candidates(seeded(restored, 11), 8);
        for (int i = 0; i < original.size(); i++) {
            Layer expected = ((DL4JConfiguration) original.get(i)).getMultiLayerConfiguration().getConf(1).getLayer();
            Layer actual = ((DL4JConfiguration) fromJson.get(i)).getMultiLayerConfiguration().getConf(1).getLayer();
            assertEquals(expected, actual, "candidate " + i);
        }
    }

    @Test
    void graphSpaceSurvivesJsonRoundTripAndGeneratesTheSameCandidates() {
        ComputationGraphSpace space = convolutionalSpace();
        String json = space.toJson();
        assertTrue(json.contains(BatchNormLayerSpace.class.getName()), json);
        ComputationGraphSpace restored = ComputationGraphSpace.fromJson(json);
        // Whole-space equality is out of reach: Arbiter's FixedValue of an array (input types, kernel size)
        // compares by identity. The BatchNorm space itself must come back equal.
        assertEquals(bnSpace(space), bnSpace(restored));
        assertEquals(bnSpace(space), bnSpace(ComputationGraphSpace.fromYaml(space.toYaml())));

        List<Object> original = candidates(seeded(space, 5), 6);
        List<Object> fromJson = candidates(seeded(restored, 5), 6);
        for (int i = 0; i < original.size(); i++) {
            assertEquals(layer((GraphConfiguration) original.get(i), "bn"),
                    layer((GraphConfiguration) fromJson.get(i), "bn"), "candidate " + i);
        }
    }

    @Test
    void fixedOptionsAreCopiedAndUnsetOptionsKeepBatchNormDefaults() {
        BatchNormLayerSpace defaults = new BatchNormLayerSpace.Builder().nIn(5).build();
        assertEquals(0, defaults.numParameters());
        assertEquals(new BatchNorm.Builder().nIn(5).build(), defaults.getValue(new double[0]));

        BatchNorm fixed = new BatchNormLayerSpace.Builder().nIn(5).eps(1e-3).decay(0.5)
                .averaging(PopulationAveraging.CUMULATIVE).learnGammaBeta(false).build().getValue(new double[0]);
        assertEquals(1e-3, fixed.getEps());
        assertEquals(0.5, fixed.getDecay());
        assertEquals(PopulationAveraging.CUMULATIVE, fixed.getAveraging());
        assertFalse(fixed.isLearnGammaBeta());
    }

    @Test
    void renormAndGhostBatchOptionsAreSearchedAndSurviveJsonRoundTrip() {
        RenormSchedule quick = RenormSchedule.of(2, 1, 10, 100, 50);
        BatchNormLayerSpace bn = new BatchNormLayerSpace.Builder()
                .batchRenorm(new BooleanSpace())
                .renormSchedule(RenormSchedule.paper(), quick)
                .ghostBatchSize(new DiscreteParameterSpace<>(0, 2, 3))
                .build();
        assertEquals(3, bn.numParameters());
        MultiLayerSpace space = new MultiLayerSpace.Builder().seed(7).updater(new Sgd(0.1))
                .addLayer(new DenseLayerSpace.Builder().nOut(8).activation(Activation.IDENTITY).build())
                .addLayer(bn)
                .addLayer(new OutputLayerSpace.Builder().nOut(3).activation(Activation.SOFTMAX)
                        .lossFunction(LossFunctions.LossFunction.MCXENT).build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerSpace restored = MultiLayerSpace.fromJson(space.toJson());
        assertEquals(space, restored);

        java.util.Set<Object> renorm = new java.util.HashSet<>();
        java.util.Set<Object> schedules = new java.util.HashSet<>();
        java.util.Set<Object> ghosts = new java.util.HashSet<>();
        List<Object> original = candidates(seeded(space, 3), 12);
        List<Object> fromJson = candidates(seeded(restored, 3), 12);
        for (int i = 0; i < original.size(); i++) {
            BatchNorm layer = (BatchNorm) ((DL4JConfiguration) original.get(i)).getMultiLayerConfiguration()
                    .getConf(1).getLayer();
            assertEquals(layer, ((DL4JConfiguration) fromJson.get(i)).getMultiLayerConfiguration().getConf(1)
                    .getLayer(), "candidate " + i);
            renorm.add(layer.isBatchRenorm());
            schedules.add(layer.getRenormSchedule());
            ghosts.add(layer.getGhostBatchSize());
        }
        assertEquals(java.util.Set.of(true, false), renorm);
        assertEquals(java.util.Set.of(RenormSchedule.paper(), quick), schedules);
        assertEquals(java.util.Set.of(0, 2, 3), ghosts);

        // a renormalized candidate with ghost batches trains
        for (Object candidate : original) {
            MultiLayerNetwork net = new MultiLayerNetwork(((DL4JConfiguration) candidate).getMultiLayerConfiguration());
            net.init();
            net.fit(new DataSet(Nd4j.rand(6, 4), Nd4j.eye(3).repeat(0, 2)));
            assertTrue(Double.isFinite(net.score()));
        }
    }

    @Test
    void countsOneHyperparameterPerSearchedOption() {
        assertEquals(4, searchedSpace().numParameters());
        assertEquals(4, searchedSpace().collectLeaves().size());
    }

    @Test
    void gridSearchVisitsEveryAveragingAndGammaBetaCombination() {
        BatchNormLayerSpace space = new BatchNormLayerSpace.Builder()
                .nIn(3)
                .averaging(PopulationAveraging.MOVING_AVERAGE, PopulationAveraging.CUMULATIVE)
                .learnGammaBeta(new BooleanSpace())
                .build();
        GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(space, 2,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        Set<String> combinations = new HashSet<>();
        for (Object value : candidates(grid, 10)) {
            BatchNorm bn = (BatchNorm) value;
            combinations.add(bn.getAveraging() + "/" + bn.isLearnGammaBeta());
        }
        assertEquals(Set.of("MOVING_AVERAGE/true", "MOVING_AVERAGE/false", "CUMULATIVE/true", "CUMULATIVE/false"),
                combinations);
        assertFalse(grid.hasMoreCandidates());
    }

    @Test
    void averagingNeedsAtLeastOneMode() {
        assertThrows(IllegalArgumentException.class, () -> new BatchNormLayerSpace.Builder().averaging());
    }

    private static BatchNormLayerSpace bnSpace(ComputationGraphSpace space) {
        return space.getLayerSpaces().stream()
                .filter(conf -> "bn".equals(conf.getLayerName()))
                .map(conf -> assertInstanceOf(BatchNormLayerSpace.class, conf.getLayerSpace()))
                .findFirst().orElseThrow();
    }

    private static Layer layer(GraphConfiguration value, String name) {
        return ((org.deeplearning4j.nn.conf.graph.LayerVertex) value.getConfiguration().getVertices().get(name))
                .getLayerConf().getLayer();
    }
}
