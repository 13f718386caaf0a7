package org.bn4j.inception.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bn4j.BatchNorm;
import org.bn4j.RenormSchedule;
import org.bn4j.inception.Json;
import org.bn4j.inception.UserError;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.BatchNormOptions;
import org.bn4j.inception.recipe.Recipe;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.train.NetworkSettings;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --bn-renorm}, {@code --renorm-schedule} and {@code --ghost-batch}: from the command line to every BN layer. */
class BatchNormOptionsCliTest {

    private final RecipeCatalog catalog = RecipeCatalog.bundled();

    @Test
    void presetsWithoutTheOptionsReadAsPlainBatchNorm() throws Exception {
        for (String name : catalog.names()) {
            assertEquals(BatchNormOptions.defaults(), catalog.get(name).bnOptions(), name);
        }
        // a recipe saved before the options existed (run.json of an older run) has no "bnOptions"
        ObjectNode old = (ObjectNode) Json.MAPPER.valueToTree(catalog.get("bn-x5"));
        old.remove("bnOptions");
        assertEquals(catalog.get("bn-x5"), Json.MAPPER.treeToValue(old, Recipe.class));
    }

    @Test
    void commandLineOptionsReachEveryBatchNormLayerOfTheNetwork() throws Exception {
        RecipeOverridesMixin mixin = CommandLine.populateCommand(new RecipeOverridesMixin(), "--bn-renorm", "true",
                "--renorm-schedule", "2,1,10,100,50", "--ghost-batch", "4");
        Recipe recipe = mixin.overrides().applyTo(catalog.get("bn-x5"));
        RenormSchedule schedule = RenormSchedule.of(2, 1, 10, 100, 50);
        assertEquals(BatchNormOptions.of(true, schedule, 4), recipe.bnOptions());
        assertEquals(recipe, Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(recipe), Recipe.class));
        assertTrue(recipe.describe().contains("ghostBatch=4"), recipe.describe());

        ComputationGraphConfiguration conf = new NetworkSettings(28, 28, 1, 0.0625, Stem.AUTO, ConvolutionKind.DL4J)
                .configuration(recipe, 10, 5, 1);
        int layers = 0;
        for (var vertex : conf.getVertices().values()) {
            if (vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BatchNorm bn) {
                assertTrue(bn.isBatchRenorm());
                assertEquals(schedule, bn.getRenormSchedule());
                assertEquals(4, bn.getGhostBatchSize());
                layers++;
            }
        }
        assertTrue(layers > 10, "every convolution's BatchNorm: " + layers);

        Recipe untouched = CommandLine.populateCommand(new RecipeOverridesMixin()).overrides()
                .applyTo(catalog.get("bn-x5"));
        assertFalse(untouched.bnOptions().batchRenorm());
    }

    @Test
    void badValuesAreUserErrors() {
        assertThrows(UserError.class, () -> BatchNormOptions.parseSchedule("3,5"));
        assertThrows(UserError.class, () -> BatchNormOptions.parseSchedule("0.5,5,0,0,0"));
        assertThrows(UserError.class, () -> BatchNormOptions.of(false, RenormSchedule.paper(), -2));
    }
}
