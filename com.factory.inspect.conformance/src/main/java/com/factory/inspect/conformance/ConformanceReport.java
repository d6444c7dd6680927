package com.factory.inspect.conformance;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the suite found for one backend.
 *
 * @param backendId the backend's id
 * @param availability the backend's own availability line (device, or why not)
 * @param model the twin model used, or empty when none was run
 * @param checks the checks run, in order; empty when the backend is unavailable or accepts no twin
 */
public record ConformanceReport(String backendId, String availability, String model, List<CheckResult> checks) {
    public ConformanceReport {
        Objects.requireNonNull(backendId, "backendId");
        Objects.requireNonNull(availability, "availability");
        Objects.requireNonNull(model, "model");
        checks = List.copyOf(checks);
    }

    /** Whether checks ran (the backend was available and accepts a twin's format). */
    public boolean ran() {
        return !checks.isEmpty();
    }

    /** Whether every check ran and passed. */
    public boolean passed() {
        return ran() && checks.stream().allMatch(CheckResult::passed);
    }

    /** One verdict word: PASSED, FAILED or SKIPPED (not available here, or no twin in its formats). */
    public String verdict() {
        return !ran() ? "SKIPPED" : passed() ? "PASSED" : "FAILED";
    }

    /** A report a technician reads: the verdict, then one line per check. */
    public String format() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-16s %-7s %s%n", backendId, verdict(),
                ran() ? model + ", " + availability : availability));
        for (CheckResult c : checks) {
            b.append(String.format(Locale.ROOT, "    %-4s %-26s %s%n", c.passed() ? "ok" : "FAIL", c.check(),
                    c.detail()));
        }
        return b.toString();
    }
}
