package com.factory.inspect.conformance;

import com.factory.inspect.api.inference.InferenceBackend;
import java.util.Comparator;
import java.util.LinkedHashMap;
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

    /**
     * The backends to test: all of them, or the one with {@code backendId}.
     *
     * @param backendId a backend id, or null for all
     * @throws IllegalArgumentException when none is installed, or none has that id (naming those there are)
     */
    public static Map<InferenceBackend, Map<String, Object>> choose(Map<InferenceBackend, Map<String, Object>> backends,
            String backendId) {
        Map<InferenceBackend, Map<String, Object>> chosen = new LinkedHashMap<>();
        backends.forEach((b, p) -> {
            if (backendId == null || b.id().equals(backendId)) {
                chosen.put(b, p);
            }
        });
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(backendId == null ? "no inference backend is installed"
                    : "no backend '" + backendId + "'; installed: "
                            + backends.keySet().stream().map(InferenceBackend::id).sorted().toList());
        }
        return chosen;
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
