package com.factory.inspect.backend.coral;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds a shared library file the way the dynamic linker would look for it, without loading it:
 * {@code LD_LIBRARY_PATH}, then the usual system folders of this architecture. A name with a slash
 * is taken as a path.
 */
final class LibrarySearch {
    private LibrarySearch() {
    }

    /** The folders searched for a bare library name, in order. */
    static List<Path> folders() {
        Set<Path> dirs = new LinkedHashSet<>();
        String ldPath = System.getenv("LD_LIBRARY_PATH");
        if (ldPath != null) {
            for (String dir : ldPath.split(":")) {
                if (!dir.isBlank()) {
                    dirs.add(Path.of(dir));
                }
            }
        }
        String triplet = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            case "arm" -> "arm-linux-gnueabihf";
            default -> "";
        };
        for (String root : List.of("/usr/lib", "/lib")) {
            if (!triplet.isEmpty()) {
                dirs.add(Path.of(root, triplet));
            }
        }
        dirs.add(Path.of("/usr/local/lib"));
        dirs.add(Path.of("/usr/lib"));
        dirs.add(Path.of("/lib"));
        return new ArrayList<>(dirs);
    }

    /** The library file, if it exists. */
    static Optional<Path> find(String name, List<Path> folders) {
        if (name.contains("/")) {
            Path path = Path.of(name);
            return Files.isRegularFile(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
        }
        return folders.stream().map(dir -> dir.resolve(name)).filter(Files::isRegularFile).findFirst();
    }

    /** Why it was not found. */
    static String notFound(String name, List<Path> folders) {
        return name.contains("/") ? name + " not found" : name + " not found (looked in " + folders.stream()
                .map(Path::toString).reduce((a, b) -> a + ", " + b).orElse("no folders") + ")";
    }
}
