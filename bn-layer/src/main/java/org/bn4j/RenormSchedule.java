package org.bn4j;

import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.io.Serializable;
import java.util.Objects;

/**
 * The clipping limits of Batch Renormalization over training (Ioffe, "Batch Renormalization", NIPS 2017, §3 and §4):
 * {@code r ∈ [1/r_max, r_max]} and {@code d ∈ [−d_max, d_max]}. The paper starts at {@code r_max = 1, d_max = 0}
 * (plain batch normalization) and relaxes them gradually; here linearly in the training iteration
 * {@code t} (counted by the layer itself, saved with its parameters):
 * <pre>
 *   r_max(t) = 1                                              t ≤ warmup
 *            = 1 + (r_max − 1)·(t − warmup)/(rMaxAt − warmup)   warmup &lt; t &lt; rMaxAt
 *            = r_max                                          t ≥ rMaxAt
 * </pre>
 * and {@code d_max(t)} the same from 0 to {@code d_max}, reaching it at {@code dMaxAt}. The paper's Inception run:
 * warm-up 5000 steps, {@code r_max = 3} reached at 40k steps, {@code d_max = 5} at 25k steps, the defaults here.
 *
 * <p>Immutable; part of the {@link BatchNorm} configuration and its JSON.
 */
public final class RenormSchedule implements Serializable {

    private static final long serialVersionUID = 1L;

    /** r_max after the ramp: 3 (the paper's). */
    public static final double DEFAULT_R_MAX = 3.0;
    /** d_max after the ramp: 5 (the paper's). */
    public static final double DEFAULT_D_MAX = 5.0;
    /** Iterations at r_max = 1, d_max = 0: 5000 (the paper's). */
    public static final long DEFAULT_WARMUP = 5000;
    /** Iteration at which r_max is reached: 40000 (the paper's). */
    public static final long DEFAULT_R_MAX_AT = 40000;
    /** Iteration at which d_max is reached: 25000 (the paper's). */
    public static final long DEFAULT_D_MAX_AT = 25000;

    // Not final, and a private no-arg constructor: DL4J's JSON mapper writes getters and reads fields; a field is
    // matched to its getter by name, which "getRMax" (Jackson: "rmax") would miss without the annotations.
    @JsonProperty("rMax")
    private double rMax;
    @JsonProperty("dMax")
    private double dMax;
    private long warmup;
    @JsonProperty("rMaxAt")
    private long rMaxAt;
    @JsonProperty("dMaxAt")
    private long dMaxAt;

    private RenormSchedule() {
        this(DEFAULT_R_MAX, DEFAULT_D_MAX, DEFAULT_WARMUP, DEFAULT_R_MAX_AT, DEFAULT_D_MAX_AT);
    }

    private RenormSchedule(double rMax, double dMax, long warmup, long rMaxAt, long dMaxAt) {
        this.rMax = rMax;
        this.dMax = dMax;
        this.warmup = warmup;
        this.rMaxAt = rMaxAt;
        this.dMaxAt = dMaxAt;
    }

    /** The paper's schedule: r_max 1 → 3 and d_max 0 → 5 after 5000 warm-up iterations, reached at 40k and 25k. */
    public static RenormSchedule paper() {
        return new RenormSchedule();
    }

    /**
     * A schedule reaching {@code rMax} at iteration {@code rMaxAt} and {@code dMax} at {@code dMaxAt}, linearly
     * from r_max = 1, d_max = 0 after {@code warmup} iterations. Requires {@code rMax ≥ 1}, {@code dMax ≥ 0},
     * {@code 0 ≤ warmup ≤ rMaxAt, dMaxAt}.
     */
    public static RenormSchedule of(double rMax, double dMax, long warmup, long rMaxAt, long dMaxAt) {
        RenormSchedule schedule = new RenormSchedule(rMax, dMax, warmup, rMaxAt, dMaxAt);
        schedule.check();
        return schedule;
    }

    /** Fixed limits from the first iteration (no warm-up); {@code constant(1, 0)} is plain batch normalization. */
    public static RenormSchedule constant(double rMax, double dMax) {
        return of(rMax, dMax, 0, 0, 0);
    }

    /** Throws when the limits or the iterations are out of range. */
    public void check() {
        if (!(rMax >= 1) || Double.isInfinite(rMax)) {
            throw new IllegalArgumentException("renorm r_max must be a finite value >= 1, got " + rMax);
        }
        if (!(dMax >= 0) || Double.isInfinite(dMax)) {
            throw new IllegalArgumentException("renorm d_max must be a finite value >= 0, got " + dMax);
        }
        if (warmup < 0 || rMaxAt < warmup || dMaxAt < warmup) {
            throw new IllegalArgumentException("renorm schedule needs 0 <= warmup <= rMaxAt, dMaxAt; got warmup="
                    + warmup + ", rMaxAt=" + rMaxAt + ", dMaxAt=" + dMaxAt);
        }
    }

    /** r_max at training iteration {@code t} (0 for the first). */
    public double rMaxAt(long t) {
        return 1.0 + (rMax - 1.0) * progress(t, rMaxAt);
    }

    /** d_max at training iteration {@code t} (0 for the first). */
    public double dMaxAt(long t) {
        return dMax * progress(t, dMaxAt);
    }

    /** True when iteration {@code t} has r_max = 1 and d_max = 0, so that r ≡ 1, d ≡ 0: plain batch normalization. */
    public boolean isPlainAt(long t) {
        return rMaxAt(t) == 1.0 && dMaxAt(t) == 0.0;
    }

    private double progress(long t, long reachedAt) {
        if (t <= warmup) {
            return warmup == reachedAt && t >= reachedAt ? 1.0 : 0.0;
        }
        if (t >= reachedAt) {
            return 1.0;
        }
        return (t - warmup) / (double) (reachedAt - warmup);
    }

    /** r_max after the ramp. */
    @JsonProperty("rMax")   // NOTE: Jackson would name the getter "rmax", not the field's name
    public double getRMax() {
        return rMax;
    }

    /** d_max after the ramp. */
    @JsonProperty("dMax")   // NOTE: Jackson would name the getter "dmax", not the field's name
    public double getDMax() {
        return dMax;
    }

    /** Iterations at r_max = 1, d_max = 0. */
    public long getWarmup() {
        return warmup;
    }

    /** Iteration at which r_max is reached. */
    @JsonProperty("rMaxAt")   // NOTE: Jackson would name the getter "rmaxat", not the field's name
    public long getRMaxAt() {
        return rMaxAt;
    }

    /** Iteration at which d_max is reached. */
    @JsonProperty("dMaxAt")   // NOTE: Jackson would name the getter "dmaxat", not the field's name
    public long getDMaxAt() {
        return dMaxAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RenormSchedule)) {
            return false;
        }
        RenormSchedule that = (RenormSchedule) o;
        return Double.compare(rMax, that.rMax) == 0 && Double.compare(dMax, that.dMax) == 0 && warmup == that.warmup
                && rMaxAt == that.rMaxAt && dMaxAt == that.dMaxAt;
    }

    @Override
    public int hashCode() {
        return Objects.hash(rMax, dMax, warmup, rMaxAt, dMaxAt);
    }

    @Override
    public String toString() {
        return "RenormSchedule(rMax=" + rMax + ", dMax=" + dMax + ", warmup=" + warmup + ", rMaxAt=" + rMaxAt
                + ", dMaxAt=" + dMaxAt + ")";
    }
}
