package com.factory.inspect.api.decision;

/** What happens to a part the model could not decide on in time. */
public enum FailSafe {
    /** Reject it (safe default: nothing uninspected passes). */
    REJECT,
    /** Let it pass (for lines where a false reject costs more than an escape). */
    PASS;

    /** The verdict this fail-safe gives. */
    public Verdict verdict() {
        return this == REJECT ? Verdict.FAIL : Verdict.PASS;
    }
}
