package org.bn4j.spark;

import org.nd4j.parameterserver.distributed.v2.transport.PortSupplier;

/**
 * The same UDP port on every machine, for {@link TrainingMasters#gradientSharing}. DL4J's own
 * {@code StaticPortSupplier(int)} in 1.0.0-M2 ignores its argument and always returns 49876.
 */
public final class FixedPortSupplier implements PortSupplier {

    private static final long serialVersionUID = 1L;

    private final int port;

    /** Always {@code port} (1..65535). */
    public FixedPortSupplier(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
        this.port = port;
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public String toString() {
        return "FixedPortSupplier(" + port + ")";
    }
}
