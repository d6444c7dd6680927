package com.factory.inspect.api.decision;

/** Pass or fail of one part. */
public enum Verdict {
    PASS,
    FAIL;

    /**
     * The decision rule, the same everywhere (live loop, evaluation): a part fails when its defect
     * probability is at or above the threshold.
     */
    public static Verdict of(double defectProbability, double threshold) {
        return defectProbability >= threshold ? FAIL : PASS;
    }
}
