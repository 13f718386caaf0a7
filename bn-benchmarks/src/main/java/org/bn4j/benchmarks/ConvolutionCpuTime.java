package org.bn4j.benchmarks;

import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The work of each contender of {@link ConvolutionBenchmark}, as CPU time of the calling thread per call with ONE
 * native thread (OpenMP runs the ops inline in the caller): a measure that, unlike wall time, barely depends on how
 * many other jobs share the machine (on a loaded 2-core machine, wall times of multi-threaded native code are
 * dominated by descheduled threads and spinning OpenMP barriers). JIT and GC threads are not counted. Run:
 *
 * <pre>
 * OMP_NUM_THREADS=1 java -cp bn-benchmarks/target/benchmarks.jar org.bn4j.benchmarks.ConvolutionCpuTime
 * </pre>
 *
 * Same set-up as the JMH benchmark (its {@code @Setup}); per contender, warm-up calls until 1 s of CPU time (at least
 * 5), then 5 rounds of calls until 0.4 s of CPU time (at least 2 calls); prints a markdown table of the median CPU ms
 * per call over the rounds. Shapes as in the benchmark, including the {@code -NHWC} suffix.
 *
 * <p>NOTE: the warm-up is long because on a loaded machine the JIT compilers get little CPU: with 5 warm-up calls the
 * first shape of a run measured FastConvolution's training step at 27–35 ms, and 4.0 ms when the same shape ran again
 * in the same JVM (64x32x16x16-32k1, 2026-12-02, load 6–8).
 */
public final class ConvolutionCpuTime {

    private static final long ROUND_CPU_NANOS = 400_000_000L;
    private static final int ROUNDS = 5;
    private static final long WARM_UP_CPU_NANOS = 1_000_000_000L;

    private ConvolutionCpuTime() {
    }

    public static void main(String[] args) {
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        List<String> shapes = args.length > 0 ? List.of(args)
                : List.of("64x1x32x32-32k3", "64x32x16x16-48k3", "64x32x16x16-32k1", "64x120x8x8-96k3",
                "32x64x56x56-64k3");
        System.out.println("| shape | FastConvolution train | DL4J train | raw ops train | FastConvolution inference "
                + "| DL4J inference |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (String shape : shapes) {
            ConvolutionBenchmark b = new ConvolutionBenchmark();
            b.shape = shape;
            b.setUp();
            Map<String, Consumer<Blackhole>> contenders = new LinkedHashMap<>();
            contenders.put("trainFastLayer", b::trainFastLayer);
            contenders.put("trainDl4jLayer", b::trainDl4jLayer);
            contenders.put("trainRawOps", b::trainRawOps);
            contenders.put("inferenceFastLayer", b::inferenceFastLayer);
            contenders.put("inferenceDl4jLayer", b::inferenceDl4jLayer);
            StringBuilder row = new StringBuilder("| " + shape + " |");
            for (Consumer<Blackhole> c : contenders.values()) {
                row.append(String.format(" %.2f |", cpuMillisPerCall(c, bh)));
            }
            b.tearDown();
            System.out.println(row);
        }
    }

    private static double cpuMillisPerCall(Consumer<Blackhole> call, Blackhole bh) {
        long warmUpStart = cpuNanos();
        for (int i = 0; i < 5 || cpuNanos() - warmUpStart < WARM_UP_CPU_NANOS; i++) {
            call.accept(bh);
        }
        double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            long start = cpuNanos();
            int calls = 0;
            while (calls < 2 || cpuNanos() - start < ROUND_CPU_NANOS) {
                call.accept(bh);
                calls++;
            }
            rounds[r] = (cpuNanos() - start) / 1e6 / calls;
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
