package org.bn4j.benchmarks;

import org.bn4j.benchmarks.endtoend.DefaultNetwork;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.math.FeatureLayout;
import org.bn4j.math.cpu.CpuKernels;
import org.bn4j.statistics.PopulationStatistics;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Quick timings of single CPU kernel passes and of Algorithm 2, for the claims in the kernels' comments:
 * <ul>
 *   <li>every kernel pass (the fused ReLU gradient, the affine (inference) pass, the moments, the gradient sums and
 *       the input gradient) over the same float arrays, NCHW and NHWC,
 *       best of 30 × 10 calls, one thread as libnd4j's thread count allows;</li>
 *   <li>{@code PopulationStatistics.estimate} over 20 batches of 128 of the example's default network against
 *       inference over the same batches (3 repeats).</li>
 * </ul>
 * {@code OMP_NUM_THREADS=1 java --add-modules jdk.incubator.vector -cp bn-benchmarks/target/benchmarks.jar
 * org.bn4j.benchmarks.KernelPassTimes [passes]} ({@code passes}: the kernel passes only, NCHW and NHWC, every pass
 * of training and inference).
 */
public final class KernelPassTimes {

    private KernelPassTimes() {
    }

    public static void main(String[] args) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        CpuKernels kernels = new CpuKernels();
        record Case(FeatureLayout layout, long[] shape) {
        }
        List<Case> cases = List.of(new Case(FeatureLayout.NCHW, new long[] {64, 32, 14, 14}),
                new Case(FeatureLayout.NCHW, new long[] {32, 64, 56, 56}),
                new Case(FeatureLayout.NCHW, new long[] {128, 32, 28, 28}),
                new Case(FeatureLayout.NHWC, new long[] {32, 56, 56, 64}),
                new Case(FeatureLayout.NHWC, new long[] {128, 28, 28, 32}));
        for (Case c : cases) {
            long[] shape = c.shape();
            FeatureLayout layout = c.layout();
            long channels = layout == FeatureLayout.NHWC ? shape[3] : shape[1];
            KernelArrays a = KernelArrays.random(shape, channels);
            List<String> names = List.of("reluGradient", "affine", "moments", "gradientSums", "inputGradient");
            List<Runnable> passes = List.of(
                    () -> kernels.reluGradient(a.x(), a.dy(), layout, a.scale(), a.shift(), a.out()),
                    () -> kernels.inference(a.x(), layout, a.scale(), a.shift(), a.out()),
                    () -> kernels.moments(a.x(), layout, a.mean(), a.variance()),
                    () -> kernels.gradientSums(a.x(), a.dy(), layout, a.mean(), a.invStd(), a.dGamma(), a.dBeta()),
                    () -> kernels.inputGradient(a.x(), a.dy(), layout, a.mean(), a.invStd(), a.scale(), a.dGamma(),
                            a.dBeta(), a.valuesPerChannel(), a.out()));
            for (int p = 0; p < passes.size(); p++) {
                long best = Long.MAX_VALUE;
                for (int r = 0; r < 30; r++) {
                    long t = System.nanoTime();
                    for (int i = 0; i < 10; i++) {
                        passes.get(p).run();
                    }
                    best = Math.min(best, System.nanoTime() - t);
                }
                System.out.printf(Locale.ROOT, "%s %s %s: %.3f ms%n", layout, Arrays.toString(shape), names.get(p),
                        best / 10 / 1e6);
            }
        }
        if (args.length > 0 && args[0].equals("passes")) {
            System.exit(0);
        }
        ComputationGraph net = new ComputationGraph(DefaultNetwork.builder(ConvolutionKind.FAST)
                .buildConfiguration());
        net.init();
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batches.add(new DataSet(Nd4j.rand(DataType.FLOAT, 128, 1, 28, 28), Nd4j.zeros(DataType.FLOAT, 128, 10)));
        }
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            PopulationStatistics.estimate(net, new ExistingDataSetIterator(batches), 20);
            System.out.printf(Locale.ROOT, "Algorithm 2, 20 batches of 128: %.1f s%n", (System.nanoTime() - t) / 1e9);
        }
        long t = System.nanoTime();
        for (DataSet b : batches) {
            net.outputSingle(false, b.getFeatures());
        }
        System.out.printf(Locale.ROOT, "inference of the same 20 batches: %.1f s%n", (System.nanoTime() - t) / 1e9);
        System.exit(0);
    }
}
