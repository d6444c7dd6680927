package com.factory.inspect.lib.openvino;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where to look for {@code libopenvino_c.so}, in order. A configured path (the library file or its
 * folder) is the only place looked at: a technician who names an installation means that one, and a
 * silent fall-back to another version would hide the mistake. Without one:
 * <ol>
 * <li>{@code $INTEL_OPENVINO_DIR/runtime/lib/<arch>} (set by OpenVINO's {@code setupvars.sh});
 * <li>the system library path by name ({@code LD_LIBRARY_PATH}, the {@code ldconfig} cache), as
 * {@code dlopen} searches it;
 * <li>the archive installations {@code /opt/intel/openvino*}{@code /runtime/lib/<arch>}, newest
 * version first;
 * <li>the distribution folders ({@code /usr/lib/<multiarch>}, {@code /usr/lib64}, {@code /usr/local/lib}),
 * where Intel's APT/YUM runtime packages put only the versioned {@code libopenvino_c.so.<n>} (the
 * unversioned link comes with the development package).
 * </ol>
 * In a folder, {@code libopenvino_c.so} is taken if present, else the highest-versioned
 * {@code libopenvino_c.so.<version>}.
 *
 * @param configured the configured library file or folder; empty for the standard search
 * @param folders the folders to look in, in order
 * @param systemPathAfter how many of {@code folders} come before the search by name on the system
 *        library path; -1 for no such search
 * @param searched how the places looked at are named in a "not found" message
 */
public record LibrarySearch(String configured, List<Path> folders, int systemPathAfter, List<String> searched) {
    /** The library's file name. */
    public static final String LIBRARY = "libopenvino_c.so";
    /** The name JNA looks up on the system library path ({@code lib} and {@code .so} added). */
    public static final String LIBRARY_NAME = "openvino_c";

    private static final Pattern VERSIONED = Pattern.compile(Pattern.quote(LIBRARY) + "\\.([0-9][0-9.]*)");
    private static final Pattern INSTALL = Pattern.compile("openvino(?:_(\\d[0-9.]*))?");

    public LibrarySearch {
        Objects.requireNonNull(configured, "configured");
        folders = List.copyOf(folders);
        searched = List.copyOf(searched);
        if (systemPathAfter > folders.size()) {
            throw new IllegalArgumentException("systemPathAfter " + systemPathAfter + " > " + folders.size());
        }
    }

    /** The search for this machine: {@code configured} if not blank, else the standard places. */
    public static LibrarySearch standard(String configured) {
        return of(configured, System.getenv("INTEL_OPENVINO_DIR"), System.getProperty("os.arch", ""),
                List.of(Path.of("/opt/intel")),
                List.of(Path.of("/usr/lib", multiarch(System.getProperty("os.arch", ""))), Path.of("/usr/lib64"),
                        Path.of("/usr/local/lib")));
    }

    /**
     * A search from explicit inputs (for tests and {@link #standard}).
     *
     * @param configured configured library file or folder, or blank
     * @param openvinoDir value of {@code INTEL_OPENVINO_DIR}, or null/blank
     * @param osArch the JVM's {@code os.arch}
     * @param installRoots folders holding {@code openvino*} archive installations
     * @param libraryFolders distribution library folders, looked at last
     */
    public static LibrarySearch of(String configured, String openvinoDir, String osArch, List<Path> installRoots,
            List<Path> libraryFolders) {
        String arch = archFolder(osArch);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured.trim());
            return new LibrarySearch(path.toString(), Files.isDirectory(path) ? List.of(path) : List.of(), -1,
                    List.of(path + " (configured library path)"));
        }
        List<Path> folders = new ArrayList<>();
        List<String> searched = new ArrayList<>();
        if (openvinoDir != null && !openvinoDir.isBlank()) {
            Path p = Path.of(openvinoDir.trim(), "runtime", "lib", arch);
            folders.add(p);
            searched.add(p + " ($INTEL_OPENVINO_DIR)");
        }
        int systemPathAfter = folders.size();
        for (Path root : installRoots) {
            for (Path install : installations(root)) {
                folders.add(install.resolve(Path.of("runtime", "lib", arch)));
            }
            searched.add(root.resolve("openvino*") + "/runtime/lib/" + arch);
        }
        for (Path lib : libraryFolders) {
            folders.add(lib);
            searched.add(lib.toString());
        }
        searched.add("the system library path (LD_LIBRARY_PATH, ldconfig)");
        return new LibrarySearch("", folders, systemPathAfter, searched);
    }

    /** Whether the system library path is searched by name. */
    public boolean searchesSystemPath() {
        return systemPathAfter >= 0;
    }

    /**
     * The library files that exist, in search order; with {@code null} where the system library
     * path is to be searched by name.
     */
    public List<Path> candidates() {
        List<Path> found = new ArrayList<>();
        if (!configured.isEmpty()) {
            Path path = Path.of(configured);
            if (Files.isRegularFile(path)) {
                found.add(path);
                return found;
            }
        }
        for (int i = 0; i < folders.size(); i++) {
            if (i == systemPathAfter) {
                found.add(null);
            }
            library(folders.get(i)).ifPresent(found::add);
        }
        if (systemPathAfter == folders.size()) {
            found.add(null);
        }
        return found;
    }

    /** {@code libopenvino_c.so not found in <where>}, for availability reasons. */
    public String notFound() {
        return LIBRARY + " not found in " + String.join(", ", searched);
    }

    /** The library in {@code folder}: the unversioned file, else the highest version. */
    static Optional<Path> library(Path folder) {
        Path plain = folder.resolve(LIBRARY);
        if (Files.isRegularFile(plain)) {
            return Optional.of(plain);
        }
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> VERSIONED.matcher(f.getFileName().toString()).matches())
                    .filter(Files::isRegularFile)
                    .max(Comparator.comparing(f -> versionKey(f.getFileName().toString(), VERSIONED)));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** {@code openvino*} folders under {@code root}, highest version first, an unversioned one first of all. */
    static List<Path> installations(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> INSTALL.matcher(p.getFileName().toString()).matches())
                    .filter(Files::isDirectory)
                    .sorted(Comparator.comparing((Path p) -> versionKey(p.getFileName().toString(), INSTALL))
                            .reversed())
                    .toList();
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }

    /**
     * A sortable key of the version in {@code name}: each number zero-padded, so {@code 2025.1.0}
     * sorts after {@code 2024.6.0} and {@code 10} after {@code 9}. A name without a version gets the
     * highest key (an unversioned link usually points at the installation meant to be used).
     */
    static String versionKey(String name, Pattern pattern) {
        Matcher m = pattern.matcher(name);
        if (!m.matches() || m.group(1) == null) {
            return "~";
        }
        StringBuilder key = new StringBuilder();
        for (String part : m.group(1).split("\\.")) {
            if (!part.isEmpty()) {
                key.append(String.format(Locale.ROOT, "%010d.", Long.parseLong(part.length() > 18
                        ? part.substring(0, 18) : part)));
            }
        }
        return key.toString();
    }

    /** OpenVINO's name for the architecture folder under {@code runtime/lib}. */
    static String archFolder(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "intel64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch;
        };
    }

    /** Debian's multiarch folder name under {@code /usr/lib}. */
    static String multiarch(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> osArch + "-linux-gnu";
        };
    }
}
