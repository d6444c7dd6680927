package com.factory.inspect.conformance;

import com.factory.inspect.api.inference.InferenceBackend;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The suite over every installed backend, as the shell command and the tools jar print it. */
public final class SelfTest {

    /** Service property a backend may set to say its numeric precision ({@code fp32}, {@code fp16}, {@code int8}). */
    public static final String PROPERTY_PRECISION = "inspect.backend.precision";

    private SelfTest() {
    }

    /**
     * Runs the suite on each backend, highest rank first.
     *
     * @param backends each backend with its service properties
     */
    public static List<ConformanceReport> run(Map<InferenceBackend, Map<String, Object>> backends) {
        return backends.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<InferenceBackend, Map<String, Object>> e) -> -e.getKey().rank())
                        .thenComparing(e -> e.getKey().id()))
                .map(e -> ConformanceSuite.run(e.getKey(), String.valueOf(e.getValue().getOrDefault(PROPERTY_PRECISION,
                        "fp32"))))
                .toList();
    }

    /** Every report, then one line: which backends passed, failed and were skipped. */
    public static String format(List<ConformanceReport> reports) {
        StringBuilder b = new StringBuilder();
        reports.forEach(r -> b.append(r.format()));
        b.append(String.format(Locale.ROOT, "selftest: passed %s; failed %s; skipped %s%n",
                ids(reports, "PASSED"), ids(reports, "FAILED"), ids(reports, "SKIPPED")));
        return b.toString();
    }

    /** Whether nothing failed and at least one backend passed. */
    public static boolean passed(List<ConformanceReport> reports) {
        return reports.stream().noneMatch(r -> r.verdict().equals("FAILED"))
                && reports.stream().anyMatch(ConformanceReport::passed);
    }

    private static String ids(List<ConformanceReport> reports, String verdict) {
        List<String> ids = reports.stream().filter(r -> r.verdict().equals(verdict)).map(ConformanceReport::backendId)
                .toList();
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }
}
