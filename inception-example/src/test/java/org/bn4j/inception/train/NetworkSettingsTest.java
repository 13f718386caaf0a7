package org.bn4j.inception.train;

import org.bn4j.inception.Json;
import org.bn4j.inception.cli.ConvolutionOption;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NetworkSettingsTest {

    @Test
    void convolutionChoiceSurvivesTheRunManifestJson() throws Exception {
        for (ConvolutionKind kind : ConvolutionKind.values()) {
            NetworkSettings settings = new NetworkSettings(28, 28, 1, 0.25, Stem.AUTO, kind);
            NetworkSettings read = Json.MAPPER.readValue(Json.MAPPER.writeValueAsString(settings),
                    NetworkSettings.class);
            assertEquals(settings, read);
        }
    }

    @Test
    void newSettingsUseTheFastConvolutionAndOlderManifestsReadAsDl4j() throws Exception {
        ConvolutionOption option = new ConvolutionOption();
        new CommandLine(option).parseArgs();
        assertEquals(ConvolutionKind.FAST, option.convolution(), "new runs default to the fast convolution");
        String before = "{\"height\":28,\"width\":28,\"channels\":1,\"widthMultiplier\":0.25,\"stem\":\"AUTO\"}";
        assertEquals(ConvolutionKind.DL4J, Json.MAPPER.readValue(before, NetworkSettings.class).convolution());
    }
}
