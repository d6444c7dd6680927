package com.factory.inspect.lib.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the library is looked for, in which order, and how a miss is described. */
class LibrarySearchTest {
    @TempDir
    Path root;

    @Test
    void aConfiguredFolderIsTheOnlyPlaceLookedAt() throws IOException {
        Path folder = Files.createDirectories(root.resolve("ov/runtime/lib/intel64"));
        Path lib = Files.createFile(folder.resolve("libopenvino_c.so"));
        Files.createDirectories(root.resolve("opt/openvino_2025.1.0/runtime/lib/intel64"));

        LibrarySearch search = LibrarySearch.of(folder.toString(), root.resolve("env").toString(), "amd64",
                List.of(root.resolve("opt")), List.of(root.resolve("usr/lib")));

        assertEquals(List.of(lib), search.candidates());
        assertFalse(search.searchesSystemPath(), "a configured path must not fall back to another installation");
    }

    @Test
    void aConfiguredFileIsTakenAsItIs() throws IOException {
        Path lib = Files.createFile(root.resolve("libopenvino_c.so.2025.1.0"));
        LibrarySearch search = LibrarySearch.of(" " + lib + " ", null, "amd64", List.of(), List.of());
        assertEquals(List.of(lib), search.candidates());
    }

    @Test
    void aConfiguredPathThatDoesNotExistSaysSo() {
        Path missing = root.resolve("nowhere");
        LibrarySearch search = LibrarySearch.of(missing.toString(), null, "amd64", List.of(), List.of());
        assertEquals(List.of(), search.candidates());
        assertEquals("libopenvino_c.so not found in " + missing + " (configured library path)", search.notFound());
    }

    @Test
    void standardOrderIsEnvironmentThenSystemPathThenInstallationsNewestFirstThenDistributionFolders()
            throws IOException {
        Path env = library(root.resolve("env/runtime/lib/intel64"), "libopenvino_c.so");
        Path opt = root.resolve("opt");
        Path v2024 = library(opt.resolve("openvino_2024.6.0/runtime/lib/intel64"), "libopenvino_c.so");
        Path v2025 = library(opt.resolve("openvino_2025.1.0/runtime/lib/intel64"), "libopenvino_c.so");
        Path v2025_10 = library(opt.resolve("openvino_2025.10.0/runtime/lib/intel64"), "libopenvino_c.so");
        Path unversioned = library(opt.resolve("openvino/runtime/lib/intel64"), "libopenvino_c.so");
        Files.createDirectories(opt.resolve("openvino_genai_2025/runtime/lib/intel64")); // not an installation
        Path distro = library(root.resolve("usr/lib/x86_64-linux-gnu"), "libopenvino_c.so.2025.1.0");

        LibrarySearch search = LibrarySearch.of("", root.resolve("env").toString(), "amd64", List.of(opt),
                List.of(root.resolve("usr/lib/x86_64-linux-gnu"), root.resolve("usr/lib64")));

        assertEquals(Arrays.asList(env, null, unversioned, v2025_10, v2025, v2024, distro), search.candidates());
        assertTrue(search.searchesSystemPath());
    }

    @Test
    void aDistributionFolderGivesItsHighestVersionedLibrary() throws IOException {
        Path lib = root.resolve("usr/lib/aarch64-linux-gnu");
        library(lib, "libopenvino_c.so.2025.0.0");
        Path newest = library(lib, "libopenvino_c.so.2025.1.0");
        library(lib, "libopenvino_c.so.2025.1.0.bak"); // not a version
        library(lib, "libopenvino.so.2025.2.0"); // the C++ library
        assertEquals(newest, LibrarySearch.library(lib).orElseThrow());
    }

    @Test
    void theUnversionedLibraryWinsInAFolder() throws IOException {
        Path lib = root.resolve("lib");
        Path plain = library(lib, "libopenvino_c.so");
        library(lib, "libopenvino_c.so.2599");
        assertEquals(plain, LibrarySearch.library(lib).orElseThrow());
    }

    @Test
    void aMissSaysEveryPlaceLookedAt() {
        LibrarySearch search = LibrarySearch.of("", "/opt/intel/openvino_2025", "aarch64", List.of(Path.of("/opt/intel")),
                List.of(Path.of("/usr/lib/aarch64-linux-gnu"), Path.of("/usr/local/lib")));
        assertEquals("libopenvino_c.so not found in /opt/intel/openvino_2025/runtime/lib/aarch64 ($INTEL_OPENVINO_DIR), "
                + "/opt/intel/openvino*/runtime/lib/aarch64, /usr/lib/aarch64-linux-gnu, /usr/local/lib, "
                + "the system library path (LD_LIBRARY_PATH, ldconfig)", search.notFound());
    }

    @Test
    void withoutAnythingInstalledOnlyTheSystemPathIsLeft() {
        LibrarySearch search = LibrarySearch.of("", null, "amd64", List.of(root.resolve("opt")),
                List.of(root.resolve("usr/lib")));
        assertEquals(Arrays.asList((Path) null), search.candidates());
    }

    @Test
    void architectureFolders() {
        assertEquals("intel64", LibrarySearch.archFolder("amd64"));
        assertEquals("intel64", LibrarySearch.archFolder("x86_64"));
        assertEquals("aarch64", LibrarySearch.archFolder("aarch64"));
        assertEquals("x86_64-linux-gnu", LibrarySearch.multiarch("amd64"));
        assertEquals("aarch64-linux-gnu", LibrarySearch.multiarch("aarch64"));
    }

    @Test
    void searchesWithTheSameInputsAreEqualSoFailuresCanBeRemembered() {
        LibrarySearch a = LibrarySearch.of("", null, "amd64", List.of(root), List.of());
        LibrarySearch b = LibrarySearch.of("", null, "amd64", List.of(root), List.of());
        assertEquals(a, b);
    }

    private static Path library(Path folder, String name) throws IOException {
        Files.createDirectories(folder);
        return Files.createFile(folder.resolve(name));
    }
}
