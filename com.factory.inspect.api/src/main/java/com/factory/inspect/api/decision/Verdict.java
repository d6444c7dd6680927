package com.factory.inspect.api.decision;

/** Pass or fail of one part. */
public enum Verdict {
    PASS,
    FAIL
}
