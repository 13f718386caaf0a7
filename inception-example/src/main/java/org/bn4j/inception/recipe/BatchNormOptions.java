package org.bn4j.inception.recipe;

import org.bn4j.RenormSchedule;
import org.bn4j.inception.UserError;

/**
 * How a recipe's BatchNorm layers normalize in training beyond Algorithm 1 of 2015, for small mini-batches: Batch
 * Renormalization (Ioffe 2017) with its r_max/d_max schedule, and ghost batches (Hoffer et al. 2017). Inference is
 * the same with any of them. Absent from a recipe or run.json written before these options existed, which reads as
 * {@link #defaults()} (neither).
 *
 * @param batchRenorm    Batch Renormalization in every BatchNorm layer
 * @param rMax           r_max after the ramp (see {@link RenormSchedule})
 * @param dMax           d_max after the ramp
 * @param warmup         iterations at r_max = 1, d_max = 0
 * @param rMaxAt         iteration at which r_max is reached
 * @param dMaxAt         iteration at which d_max is reached
 * @param ghostBatchSize examples per ghost batch in training (0: the whole mini-batch)
 */
public record BatchNormOptions(boolean batchRenorm, double rMax, double dMax, long warmup, long rMaxAt, long dMaxAt,
                               int ghostBatchSize) {

    /** Throws a UserError naming the first out-of-range value. */
    public BatchNormOptions {
        try {
            RenormSchedule.of(rMax, dMax, warmup, rMaxAt, dMaxAt);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        if (ghostBatchSize < 0) {
            throw new UserError("ghost batch size must be >= 0 (0: the whole mini-batch), got " + ghostBatchSize);
        }
    }

    /** Neither renorm nor ghost batches; the paper's renorm schedule, should renorm be switched on. */
    public static BatchNormOptions defaults() {
        return of(false, RenormSchedule.paper(), 0);
    }

    /** Options from a {@link RenormSchedule}. */
    public static BatchNormOptions of(boolean batchRenorm, RenormSchedule schedule, int ghostBatchSize) {
        return new BatchNormOptions(batchRenorm, schedule.getRMax(), schedule.getDMax(), schedule.getWarmup(),
                schedule.getRMaxAt(), schedule.getDMaxAt(), ghostBatchSize);
    }

    /** The renorm schedule. */
    public RenormSchedule schedule() {
        return RenormSchedule.of(rMax, dMax, warmup, rMaxAt, dMaxAt);
    }

    /**
     * A schedule from the command line, {@code R_MAX,D_MAX,WARMUP,R_MAX_AT,D_MAX_AT} (e.g. the paper's
     * {@code 3,5,5000,40000,25000}).
     */
    public static RenormSchedule parseSchedule(String text) {
        String[] parts = text.split(",");
        if (parts.length != 5) {
            throw new UserError("renorm schedule: expected R_MAX,D_MAX,WARMUP,R_MAX_AT,D_MAX_AT, got \"" + text + "\"");
        }
        try {
            return RenormSchedule.of(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
                    Long.parseLong(parts[2].trim()), Long.parseLong(parts[3].trim()), Long.parseLong(parts[4].trim()));
        } catch (IllegalArgumentException e) {
            throw new UserError("renorm schedule \"" + text + "\": " + e.getMessage());
        }
    }

    /** One line for {@link Recipe#describe()}. */
    public String describe() {
        return "renorm=" + (batchRenorm ? schedule() : "off") + " ghostBatch="
                + (ghostBatchSize == 0 ? "off" : String.valueOf(ghostBatchSize));
    }
}
