package com.factory.inspect.lib.openvino;

import com.factory.inspect.lib.openvino.internal.OpenVinoC;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Loads OpenVINO once per JVM and keeps it. {@code dlopen} is not tied to a class loader, so a
 * second load would give the same library; keeping the loaded {@link OpenVino} (library and Core)
 * here, in a bundle that is never updated at run time, also keeps one Core and its device plugins
 * across updates of the backend bundle above it.
 *
 * <p>A failed probe is remembered for its {@link LibrarySearch} and tried again when the search
 * changes (another configured path, a new installation folder) or after {@value #RETRY_SECONDS} s, so
 * installing OpenVINO on a running gateway is noticed without a restart. Once loaded, the library
 * stays: a different configured path then takes effect only after a restart.
 */
public final class OpenVinoRuntime {
    /** Oldest release whose C API this binding matches (ov_shape_create and the element types). */
    public static final int MINIMUM_RELEASE_YEAR = 2023;
    static final long RETRY_SECONDS = 30;

    private static final Logger LOG = System.getLogger(OpenVinoRuntime.class.getName());
    private static final Map<String, Object> OPTIONS = Map.of(Library.OPTION_STRING_ENCODING, "UTF-8");

    private static OpenVino loaded;
    private static LibrarySearch failedSearch;
    private static String failure = "";
    private static long failedAt;

    private OpenVinoRuntime() {
    }

    /**
     * The outcome of looking for OpenVINO.
     *
     * @param openVino the loaded runtime, or null
     * @param failure why it is not loaded; empty when it is
     */
    public record Probe(OpenVino openVino, String failure) {
        public Probe {
            Objects.requireNonNull(failure, "failure");
            if ((openVino == null) == failure.isEmpty()) {
                throw new IllegalArgumentException("a probe has either a runtime or a failure");
            }
        }

        /** Whether OpenVINO is loaded. */
        public boolean loaded() {
            return openVino != null;
        }
    }

    /** OpenVINO as found by {@code search}, or the loaded one if any; never throws. */
    public static synchronized Probe probe(LibrarySearch search) {
        if (loaded != null) {
            return new Probe(loaded, "");
        }
        if (search.equals(failedSearch) && System.nanoTime() - failedAt < TimeUnit.SECONDS.toNanos(RETRY_SECONDS)) {
            return new Probe(null, failure);
        }
        Probe probe;
        try {
            probe = load(search);
        } catch (RuntimeException | LinkageError e) { // by contract, never throws
            probe = new Probe(null, "OpenVINO could not be probed: " + e);
        }
        if (probe.loaded()) {
            loaded = probe.openVino();
            failedSearch = null;
            LOG.log(Level.INFO, "{0}", loaded);
        } else {
            if (!search.equals(failedSearch) || !probe.failure().equals(failure)) {
                LOG.log(Level.WARNING, "OpenVINO unavailable: {0}", probe.failure());
            }
            failedSearch = search;
            failure = probe.failure();
            failedAt = System.nanoTime();
        }
        return probe;
    }

    /** Tries the candidates of {@code search} in order, without remembering anything. */
    static Probe load(LibrarySearch search) {
        if (Native.SIZE_T_SIZE != 8) {
            return new Probe(null, "OpenVINO's C API is mapped for 64-bit processes; this JVM is "
                    + Native.SIZE_T_SIZE * 8 + "-bit");
        }
        List<String> failures = new ArrayList<>();
        for (Path candidate : search.candidates()) {
            String target = candidate == null ? LibrarySearch.LIBRARY_NAME : candidate.toString();
            String where = candidate == null ? "the system library path" : candidate.toString();
            OpenVinoC c;
            try {
                c = Native.load(target, OpenVinoC.class, OPTIONS);
            } catch (UnsatisfiedLinkError e) {
                String reason = dlopenReason(e.getMessage());
                if (candidate != null || !isMissing(reason)) {
                    failures.add(LibrarySearch.LIBRARY + " at " + where + " could not be loaded: " + reason);
                }
                continue;
            }
            return open(c, where);
        }
        if (!failures.isEmpty()) {
            return new Probe(null, String.join("; ", failures));
        }
        return new Probe(null, search.notFound());
    }

    /** Checks the version of a loaded library and creates the Core. */
    static Probe open(OpenVinoC c, String where) {
        String version;
        try {
            version = OpenVino.readVersion(c);
        } catch (UnsatisfiedLinkError e) {
            return new Probe(null, where + " has no ov_get_openvino_version: not OpenVINO's C API 2.0 ("
                    + MINIMUM_RELEASE_YEAR + ".0 or newer needed)");
        }
        int year = releaseYear(version);
        if (year >= 0 && year < MINIMUM_RELEASE_YEAR) {
            return new Probe(null, "OpenVINO " + version + " at " + where + " is too old; this backend needs "
                    + MINIMUM_RELEASE_YEAR + ".0 or newer");
        }
        try {
            return new Probe(OpenVino.open(c, where, version), "");
        } catch (OpenVinoException | UnsatisfiedLinkError e) {
            return new Probe(null, "OpenVINO " + version + " loaded from " + where + " but it could not start: "
                    + e.getMessage());
        }
    }

    /** The year of a build number like {@code 2025.1.0-18503-...}, or -1 if it does not start with one. */
    static int releaseYear(String version) {
        int end = 0;
        while (end < version.length() && end < 6 && Character.isDigit(version.charAt(end))) {
            end++;
        }
        return end == 4 ? Integer.parseInt(version.substring(0, 4)) : -1;
    }

    /**
     * The useful lines of JNA's load error: the {@code dlopen} messages, without JNA's notes on the
     * places it looked in its own class path (which list the whole class path).
     */
    static String dlopenReason(String message) {
        if (message == null || message.isBlank()) {
            return "unknown error";
        }
        Set<String> lines = new LinkedHashSet<>();
        for (String line : message.split("\\R")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("Unable to load library") && !l.contains("not found in resource path")
                    && !l.startsWith("Native library (")) {
                lines.add(l);
            }
        }
        return lines.isEmpty() ? message.strip() : String.join("; ", lines);
    }

    /** Whether a by-name load failed because the library itself is absent (not a dependency of it). */
    static boolean isMissing(String reason) {
        return reason.contains(LibrarySearch.LIBRARY + ": cannot open shared object file")
                || reason.equals("unknown error");
    }
}
