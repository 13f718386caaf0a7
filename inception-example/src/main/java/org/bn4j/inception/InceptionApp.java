package org.bn4j.inception;

/** Placeholder entry point; replaced by the picocli application of the inception-example issue. */
public final class InceptionApp {
    private InceptionApp() {
    }

    public static void main(String[] args) {
        System.out.println("bn4j inception-example: not implemented yet");
    }
}
