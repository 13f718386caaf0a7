import org.bn4j.inception.data.DataOptions;
import org.bn4j.inception.data.ImageBatches;
import org.bn4j.inception.data.ImageFolderData;
import org.bn4j.inception.data.ImageShape;
import org.bn4j.inception.net.ConvolutionKind;
import org.bn4j.inception.net.Stem;
import org.bn4j.inception.recipe.RecipeCatalog;
import org.bn4j.inception.recipe.ShuffleMode;
import org.bn4j.inception.train.EpochOrder;
import org.bn4j.inception.train.NetworkSettings;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the CPU time of the main job's training step goes, by thread: fits the default network (28x28x1, width 0.25,
 * bn-x5, fast convolution) on mini-batches of Fashion-MNIST already in memory, and reads every thread's CPU time
 * (user + sys, /proc/self/task) before and after. Also times the data pipeline alone (record reader vs the in-memory
 * cache), and the process's minor page faults and user/system time per step. Arguments: batch size, measured steps,
 * warm-up steps (the main job now trains with batches of 128 and bn-x30; the recipe does not change a step's cost).
 * Linux only.
 */
public final class StepCpuTime {

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        int batch = Integer.parseInt(args[0]);
        int steps = Integer.parseInt(args[1]);
        int warmUp = Integer.parseInt(args[2]);
        Path root = Paths.get(System.getProperty("user.home"), ".cache/bn4j/fashion-mnist-debian");
        ImageFolderData data = ImageFolderData.load(new DataOptions(root, 0.1, false, batch * 100, 1000, 42), "probe");
        ImageBatches batches = new ImageBatches(new ImageShape(28, 28, 1), data.labels());
        List<org.bn4j.inception.data.LabeledImage> order = EpochOrder.of(data.train(), ShuffleMode.EVERY_EPOCH, 42, 0);
        pipeline("data: record reader (decodes)", batches.recordReaderIterator(order, batch, null));
        pipeline("data: cache, 1st pass (decodes)", batches.iterator(order, batch, null));
        pipeline("data: cache, 2nd pass (memory)", batches.iterator(order, batch, null));
        ComputationGraph net = new NetworkSettings(28, 28, 1, 0.25, Stem.AUTO, ConvolutionKind.FAST)
                .build(RecipeCatalog.bundled().get("bn-x5"), 10, 938, 42);
        List<DataSet> inMemory = new ArrayList<>();
        DataSetIterator iterator = batches.iterator(order, batch, null);
        while (iterator.hasNext()) {
            inMemory.add(iterator.next());
        }
        for (int i = 0; i < warmUp; i++) {
            net.fit(inMemory.get(i % inMemory.size()));
        }
        Map<String, Long> before = threadCpuMillis();
        long[] processBefore = processFaultsAndTimes();
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            net.fit(inMemory.get((warmUp + i) % inMemory.size()));
            net.score();
        }
        double wall = (System.nanoTime() - start) / 1e6;
        Map<String, Long> after = threadCpuMillis();
        long[] processAfter = processFaultsAndTimes();
        long total = 0;
        System.out.printf(Locale.ROOT, "training step, batch %d, %d steps after %d warm-up, CPU ms per step by thread:%n",
                batch, steps, warmUp);
        for (Map.Entry<String, Long> e : after.entrySet()) {
            long spent = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            total += spent;
            if (spent > 0) {
                System.out.printf(Locale.ROOT, "  %-22s %7.1f%n", e.getKey(), (double) spent / steps);
            }
        }
        System.out.printf(Locale.ROOT, "  %-22s %7.1f   (wall %.1f ms per step, %.1f images/s)%n", "all threads",
                (double) total / steps, wall / steps, batch * steps * 1000 / wall);
        System.out.printf(Locale.ROOT, "  process per step: %.0f minor page faults, user %.1f ms, sys %.1f ms%n",
                (double) (processAfter[0] - processBefore[0]) / steps,
                (processAfter[1] - processBefore[1]) * 10.0 / steps, (processAfter[2] - processBefore[2]) * 10.0 / steps);
    }

    /** Minor page faults, user ticks and system ticks of the whole process (/proc/self/stat). */
    private static long[] processFaultsAndTimes() throws java.io.IOException {
        String stat = Files.readString(Paths.get("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[7]), Long.parseLong(fields[11]), Long.parseLong(fields[12])};
    }

    private static void pipeline(String what, DataSetIterator iterator) {
        long cpu = OS.getProcessCpuTime();
        int n = 0;
        while (iterator.hasNext()) {
            iterator.next();
            n++;
        }
        System.out.printf(Locale.ROOT, "%-34s %7.2f CPU ms per batch (%d batches)%n", what,
                (OS.getProcessCpuTime() - cpu) / 1e6 / n, n);
    }

    /** CPU time (user + sys) per thread name, numbered threads merged ("GC Thread#0", "#1" -> "GC Thread#"). */
    private static Map<String, Long> threadCpuMillis() throws Exception {
        Map<String, Long> byName = new TreeMap<>();
        try (var tasks = Files.list(Paths.get("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim().replaceAll("[0-9]+$", "#");
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    byName.merge(name, ticks * 10, Long::sum); // USER_HZ = 100
                } catch (java.io.IOException | RuntimeException gone) {
                    // the thread ended between listing and reading
                }
            }
        }
        return byName;
    }
}
