package org.bn4j.inception.recipe;

import org.bn4j.inception.UserError;
import org.bn4j.inception.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named recipes of Ioffe &amp; Szegedy 2015, §4.2.1 ({@code inception}, {@code bn-baseline}, {@code bn-x5},
 * {@code bn-x30}, {@code bn-x5-sigmoid}), read from the {@code recipes.json} resource.
 */
public final class RecipeCatalog {

    private static final String RESOURCE = "/org/bn4j/inception/recipes.json";

    private final Map<String, Recipe> recipes;

    private RecipeCatalog(Map<String, Recipe> recipes) {
        this.recipes = recipes;
    }

    /** The presets bundled with the application. */
    public static RecipeCatalog bundled() {
        try (InputStream in = RecipeCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
            }
            Recipe[] list = Json.MAPPER.readValue(in, Recipe[].class);
            Map<String, Recipe> byName = new LinkedHashMap<>();
            Arrays.stream(list).forEach(r -> byName.put(r.name(), r));
            return new RecipeCatalog(byName);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The preset with this name; IllegalArgumentException listing the known names otherwise. */
    public Recipe get(String name) {
        Recipe recipe = recipes.get(name);
        if (recipe == null) {
            throw new UserError("unknown recipe \"" + name + "\"; known recipes: " + names());
        }
        return recipe;
    }

    /** Preset names in file order. */
    public List<String> names() {
        return List.copyOf(recipes.keySet());
    }
}
