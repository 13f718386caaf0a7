package org.bn4j.inception.recipe;

import org.bn4j.inception.Json;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecipeCatalogTest {

    private final RecipeCatalog catalog = RecipeCatalog.bundled();

    @Test
    void bundledCatalogHasThePapersFivePresets() {
        assertEquals(List.of("inception", "bn-baseline", "bn-x5", "bn-x30", "bn-x5-sigmoid",
                "inception-sigmoid"), catalog.names());
    }

    @Test
    void bnX5AndBnX30ApplyTheSection421ModificationsToTheInceptionRecipe() {
        Recipe inception = catalog.get("inception");
        assertFalse(inception.batchNorm());
        assertTrue(inception.localResponseNorm());
        assertEquals(0.4, inception.dropout());
        for (String name : List.of("bn-x5", "bn-x30", "bn-x5-sigmoid")) {
            Recipe bn = catalog.get(name);
            double factor = name.equals("bn-x30") ? 30 : 5;
            assertTrue(bn.batchNorm(), name);
            assertEquals(inception.learningRate() * factor, bn.learningRate(), 1e-12, name);
            assertEquals(inception.lrDecayEpochs() / 6, bn.lrDecayEpochs(), 1e-12, name);
            assertEquals(inception.l2() / 5, bn.l2(), 1e-12, name);
            assertEquals(0.0, bn.dropout(), name);
            assertFalse(bn.localResponseNorm(), name);
            assertEquals(ShuffleMode.EVERY_EPOCH, bn.shuffle(), name);
        }
        assertEquals(Activation.SIGMOID, catalog.get("bn-x5-sigmoid").activation());
        Recipe bnBaseline = catalog.get("bn-baseline");
        assertTrue(bnBaseline.batchNorm());
        assertEquals(inception.learningRate(), bnBaseline.learningRate());
    }

    @Test
    void unknownRecipeNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> catalog.get("bn-x50"));
        assertTrue(e.getMessage().contains("bn-x30"), e.getMessage());
    }

    @Test
    void overridesReplaceOnlyTheGivenValuesAndRenameTheRecipe() {
        Recipe preset = catalog.get("bn-x5");
        assertSame(preset, RecipeOverrides.none().applyTo(preset));
        Recipe changed = new RecipeOverrides(null, null, 0.1, null, null, null, 0.2, null, null, ShuffleMode.ONCE)
                .applyTo(preset);
        assertEquals(0.1, changed.learningRate());
        assertEquals(0.2, changed.dropout());
        assertEquals(ShuffleMode.ONCE, changed.shuffle());
        assertEquals(preset.l2(), changed.l2());
        assertEquals("bn-x5+overrides", changed.name());
    }

    @Test
    void outOfRangeValuesAreRejected() {
        Recipe preset = catalog.get("bn-x5");
        assertThrows(IllegalArgumentException.class, () -> new RecipeOverrides(null, null, -1.0, null, null, null,
                null, null, null, null).applyTo(preset));
        assertThrows(IllegalArgumentException.class, () -> new RecipeOverrides(null, null, null, null, null, null,
                1.0, null, null, null).applyTo(preset));
    }

    @Test
    void learningRateDecaysByTheRateEveryDecayPeriodAlsoPerIteration() {
        Recipe bnX5 = catalog.get("bn-x5");
        assertEquals(bnX5.learningRate() * 0.96, bnX5.learningRateAt(bnX5.lrDecayEpochs()), 1e-12);
        int iterationsPerEpoch = 30;
        double afterTwoEpochs = bnX5.learningRateSchedule(iterationsPerEpoch).valueAt(2 * iterationsPerEpoch, 0);
        assertEquals(bnX5.learningRateAt(2), afterTwoEpochs, 1e-9);
    }

    @Test
    void recipeSurvivesAJsonRoundTrip() throws Exception {
        Recipe recipe = catalog.get("bn-x5-sigmoid");
        assertEquals(recipe, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(recipe), Recipe.class));
    }
}
