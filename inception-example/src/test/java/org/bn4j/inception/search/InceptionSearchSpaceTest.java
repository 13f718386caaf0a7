package org.bn4j.inception.search;

import org.bn4j.BatchNorm;
import org.bn4j.PopulationAveraging;
import org.bn4j.arbiter.BatchNormLayerSpace;
import org.bn4j.inception.net.BnInceptionBuilder;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.FixedValue;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InceptionSearchSpaceTest {

    private static List<SearchCandidate> draw(CandidateGenerator generator, int max) {
        List<SearchCandidate> drawn = new ArrayList<>();
        while (drawn.size() < max && generator.hasMoreCandidates()) {
            Candidate<?> candidate = generator.getCandidate();
            assertNull(candidate.getException());
            drawn.add((SearchCandidate) candidate.getValue());
        }
        return drawn;
    }

    @Test
    void randomSearchCoversEveryDimensionWithinItsRange() {
        InceptionSearchSpace space = new InceptionSearchSpace.Builder().build();
        RandomSearchGenerator random = new RandomSearchGenerator(space);
        random.setRngSeed(42);
        Set<Double> accelerations = new HashSet<>();
        Set<Boolean> batchNorm = new HashSet<>();
        for (SearchCandidate c : draw(random, 40)) {
            assertTrue(c.learningRate() >= 0.001 && c.learningRate() <= 0.1, "lr " + c.learningRate());
            assertTrue(c.l2() >= 1e-5 && c.l2() <= 1e-3, "l2 " + c.l2());
            assertEquals(64, c.batchSize());
            assertEquals(SearchCandidate.BatchNormSettings.defaults(), c.bn());
            accelerations.add(c.decayAcceleration());
            batchNorm.add(c.batchNorm());
        }
        assertEquals(Set.of(1.0, 6.0), accelerations);
        assertEquals(Set.of(true, false), batchNorm);
    }

    @Test
    void gridSearchSpacesALogRangeGeometricallyAndEnumeratesChoices() {
        InceptionSearchSpace space = new InceptionSearchSpace.Builder()
                .learningRate(SpaceSyntax.logRange("0.001:0.1", "--lr"))
                .decayAcceleration(new FixedValue<>(6.0))
                .l2(new FixedValue<>(1e-4))
                .batchNorm(SpaceSyntax.bool("both", "--batch-norm"))
                .build();
        GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(space, 3,
                GridSearchCandidateGenerator.Mode.Sequential, null);
        assertEquals(6, grid.getTotalNumCandidates());
        TreeSet<Double> rates = new TreeSet<>();
        Set<Boolean> batchNorm = new HashSet<>();
        for (SearchCandidate c : draw(grid, 10)) {
            rates.add(Math.round(c.learningRate() * 1e6) / 1e6);
            batchNorm.add(c.batchNorm());
        }
        assertEquals(new TreeSet<>(List.of(0.001, 0.01, 0.1)), rates);
        assertEquals(Set.of(true, false), batchNorm);
    }

    @Test
    void batchNormLayerSpaceValuesReachEveryBatchNormLayerOfTheNetwork() {
        InceptionSearchSpace space = new InceptionSearchSpace.Builder()
                .batchNorm(new FixedValue<>(true))
                .batchNormLayer(new BatchNormLayerSpace.Builder()
                        .decay(new ContinuousParameterSpace(0.5, 0.7))
                        .averaging(PopulationAveraging.CUMULATIVE)
                        .learnGammaBeta(false)
                        .build())
                .build();
        RandomSearchGenerator random = new RandomSearchGenerator(space);
        random.setRngSeed(3);
        SearchCandidate candidate = draw(random, 1).get(0);
        assertTrue(candidate.bn().decay() >= 0.5 && candidate.bn().decay() <= 0.7);

        Recipe recipe = candidate.recipe(RecipeCatalog.bundled().get("bn-x5"));
        ComputationGraphConfiguration conf = recipe.configure(new BnInceptionBuilder().input(16, 16, 1)
                .numClasses(3).widthMultiplier(0.0625), 10).buildConfiguration();
        int layers = candidate.bn().applyTo(conf);
        assertTrue(layers > 50, "BatchNorm layers: " + layers);
        conf.getVertices().values().stream()
                .filter(v -> v instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNorm)
                .map(v -> (BatchNorm) ((LayerVertex) v).getLayerConf().getLayer())
                .forEach(bn -> {
                    assertEquals(candidate.bn().decay(), bn.getDecay());
                    assertEquals(PopulationAveraging.CUMULATIVE, bn.getAveraging());
                    assertEquals(false, bn.isLearnGammaBeta());
                });
    }

    @Test
    void candidateRecipeTakesLearningRateDecayL2AndBatchNormSwitch() {
        Recipe base = RecipeCatalog.bundled().get("bn-x5");
        SearchCandidate candidate = new SearchCandidate(0.02, 4.0, 3e-4, 32, 0.5, false,
                SearchCandidate.BatchNormSettings.defaults());
        Recipe recipe = candidate.recipe(base);
        assertEquals(0.02, recipe.learningRate());
        assertEquals(2.0, recipe.lrDecayEpochs());
        assertEquals(3e-4, recipe.l2());
        assertEquals(false, recipe.batchNorm());
        assertEquals(base.momentum(), recipe.momentum());
        assertEquals(base.shuffle(), recipe.shuffle());
    }

    @Test
    void invalidCandidateAndSpaceSyntaxAreRejectedWithTheOptionName() {
        assertThrows(IllegalArgumentException.class,
                () -> new SearchCandidate(0, 1, 0, 32, 1, true, SearchCandidate.BatchNormSettings.defaults()));
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> SpaceSyntax.logRange("0:0.1", "--lr"));
        assertTrue(range.getMessage().startsWith("--lr"), range.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpaceSyntax.integers("32,x", "--batch-sizes"));
        assertThrows(IllegalArgumentException.class, () -> SpaceSyntax.bool("maybe", "--batch-norm"));
        assertEquals(PopulationAveraging.CUMULATIVE,
                SpaceSyntax.enums("cumulative", "--bn-averaging", PopulationAveraging.class).getValue(new double[0]));
    }
}
