package org.bn4j.conv;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many Java threads a {@link FastConvolution} layer splits its batch over (see
 * {@link org.bn4j.conv.ops.BatchSplit}): each thread runs libnd4j's {@code conv2d} / {@code conv2d_bp} on a slice of
 * the batch, single-threaded inside libnd4j, on a core of its own.
 *
 * <p>The choice, in order of precedence: {@link #force(int)} (tests, applications), then the system property
 * {@code -Dbn4j.conv.threads=N} ({@code 1} = no split, also the default without the property), or
 * {@code -Dbn4j.conv.threads=auto}, the automatic choice {@code max(1, cores / libnd4jThreads)}: with libnd4j's OpenMP limited to one thread ({@code OMP_NUM_THREADS=1},
 * which the example's main job uses) every core gets a slice; with libnd4j's default of one OpenMP thread per core
 * nothing is split (libnd4j already uses every core inside each op, and splitting would run cores × cores threads).
 * Each distinct decision is logged once at INFO through slf4j.
 */
public final class ConvolutionThreads {

    /** The system property: {@code auto} or a thread count, 1 for none (the default when it is not set). */
    public static final String PROPERTY = "bn4j.conv.threads";

    /**
     * Without the property: no split. On the 2-core development VM, split and unsplit alternated on a quiet machine
     * gave no measurable gain (docs/benchmarks.md, "Batch split"): the worker often starts after the calling thread
     * has already taken its slice.
     */
    private static final Decision DEFAULT = new Decision(1, "default (no split; -D" + PROPERTY
            + "=auto or a thread count splits the batch)", false);

    private static final Logger log = LoggerFactory.getLogger(ConvolutionThreads.class);
    private static final Set<String> logged = ConcurrentHashMap.newKeySet();
    private static volatile Decision forced;
    /** The decision {@link #current()} returned last (the default, forced and automatic ones are reused objects). */
    private static volatile Decision lastSeen;
    /** The last automatic decision, for the libnd4j thread count it was made for (changed only by setMaxThreads). */
    private static volatile Automatic automatic;

    private record Automatic(int nativeThreads, Decision decision) {
    }

    private ConvolutionThreads() {
    }

    /**
     * A thread count together with the reason it was chosen.
     *
     * @param threads   the number of batch slices at most (1: no split)
     * @param reason    why, for the log
     * @param automatic whether it was chosen automatically; a forced or configured count splits whenever the batch
     *                  has at least two examples, an automatic one only where each slice has enough work
     */
    public record Decision(int threads, String reason, boolean automatic) {
    }

    /**
     * Forces {@code threads} slices (1 = no split) for every FastConvolution layer of this JVM, overriding the
     * system property, and for every batch of at least two examples however little work a slice gets (tests use
     * this to run the split path on small cases); 0 returns to the property / automatic choice.
     */
    public static void force(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("ConvolutionThreads.force(" + threads + "): give 0 (no forcing) or a "
                    + "thread count >= 1");
        }
        forced = threads == 0 ? null
                : new Decision(threads, "forced by ConvolutionThreads.force(" + threads + ")", false);
    }

    /** The current decision (logged the first time it is made). */
    public static Decision current() {
        Decision d = decide();
        if (d == lastSeen) {
            return d;                        // the hot path: one layer call after another, nothing to log
        }
        lastSeen = d;
        if (logged.add(d.threads() + ": " + d.reason())) {
            log.info("bn4j FastConvolution {}: {}", d.threads() == 1 ? "runs each op on the calling thread"
                    : "splits the batch over up to " + d.threads() + " threads", d.reason());
        }
        return d;
    }

    /** The current decision, without logging. */
    public static Decision decide() {
        Decision f = forced;
        if (f != null) {
            return f;
        }
        String configured = System.getProperty(PROPERTY);
        if (configured == null) {
            return DEFAULT;
        }
        String property = configured.trim().toLowerCase(Locale.ROOT);
        if (property.equals("auto") || property.isEmpty()) {
            return automatic();
        }
        int threads;
        try {
            threads = Integer.parseInt(property);
        } catch (NumberFormatException e) {
            threads = 0;
        }
        if (threads < 1) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + property
                    + " is neither auto nor a thread count >= 1");
        }
        return new Decision(threads, "-D" + PROPERTY + "=" + threads, false);
    }

    private static Decision automatic() {
        int nativeThreads = Math.max(1, Nd4j.getEnvironment().maxThreads());
        Automatic a = automatic;
        if (a == null || a.nativeThreads() != nativeThreads) {
            a = new Automatic(nativeThreads, automatic(nativeThreads));
            automatic = a;
        }
        return a.decision();
    }

    private static Decision automatic(int nativeThreads) {
        int cores = Runtime.getRuntime().availableProcessors();
        int threads = Math.max(1, cores / nativeThreads);
        return new Decision(threads, "automatic: " + cores + " cores, libnd4j uses " + nativeThreads
                + " OpenMP thread" + (nativeThreads == 1 ? "" : "s") + " per op"
                + (threads == 1 ? " (set OMP_NUM_THREADS=1 to split the batch over the cores instead)" : ""), true);
    }
}
