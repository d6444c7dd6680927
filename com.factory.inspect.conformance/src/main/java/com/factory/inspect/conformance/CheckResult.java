package com.factory.inspect.conformance;

import java.util.Objects;

/**
 * The outcome of one conformance check.
 *
 * @param check what was checked, e.g. {@code batch 1..4}
 * @param passed whether the backend behaved as the API requires
 * @param detail what was seen: figures when passed, the difference when not
 */
public record CheckResult(String check, boolean passed, String detail) {
    public CheckResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(detail, "detail");
    }

    static CheckResult pass(String check, String detail) {
        return new CheckResult(check, true, detail);
    }

    static CheckResult fail(String check, String detail) {
        return new CheckResult(check, false, detail);
    }
}
