package com.factory.inspect.lib.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Looking for and loading the library where it is absent or broken, with the real loader (JNA's
 * {@code dlopen}); nothing here needs or imitates OpenVINO.
 */
class OpenVinoRuntimeTest {
    @TempDir
    Path root;

    @Test
    void aFolderWithoutTheLibraryIsReportedAsSearched() {
        LibrarySearch search = LibrarySearch.of(root.toString(), null, "amd64", List.of(), List.of());
        OpenVinoRuntime.Probe probe = OpenVinoRuntime.load(search);
        assertFalse(probe.loaded());
        assertNull(probe.openVino());
        assertEquals("libopenvino_c.so not found in " + root + " (configured library path)", probe.failure());
    }

    @Test
    void aFileThatIsNotALibraryIsReportedWithDlopensReason() throws IOException {
        Path fake = Files.writeString(root.resolve("libopenvino_c.so"), "not an ELF file");
        OpenVinoRuntime.Probe probe = OpenVinoRuntime.load(
                LibrarySearch.of(root.toString(), null, "amd64", List.of(), List.of()));
        assertFalse(probe.loaded());
        assertTrue(probe.failure().startsWith("libopenvino_c.so at " + fake + " could not be loaded: "),
                probe.failure());
        assertTrue(probe.failure().contains("invalid ELF header") || probe.failure().contains("too short"),
                probe.failure());
        assertFalse(probe.failure().contains("resource path"), "JNA's class path notes are left out: "
                + probe.failure());
    }

    @Test
    void probingNeverThrowsAndRemembersAFailureForItsSearch() {
        LibrarySearch search = LibrarySearch.of(root.resolve("a").toString(), null, "amd64", List.of(), List.of());
        OpenVinoRuntime.Probe first = OpenVinoRuntime.probe(search);
        if (first.loaded()) {
            return; // OpenVINO was loaded by another test in this JVM: then every probe returns it
        }
        assertTrue(first.failure().contains(root.resolve("a").toString()), first.failure());
        assertEquals(first, OpenVinoRuntime.probe(search));
        OpenVinoRuntime.Probe other = OpenVinoRuntime.probe(
                LibrarySearch.of(root.resolve("b").toString(), null, "amd64", List.of(), List.of()));
        assertTrue(other.failure().contains(root.resolve("b").toString()), "a new search is probed anew: "
                + other.failure());
    }

    @Test
    void keepsOnlyDlopensLinesFromJnasMessage() {
        String jna = "Unable to load library 'openvino_c':\n"
                + "libopenvino_c.so: cannot open shared object file: No such file or directory\n"
                + "libopenvino_c.so: cannot open shared object file: No such file or directory\n"
                + "Native library (linux-x86-64/libopenvino_c.so) not found in resource path (/a.jar:/b.jar)";
        String reason = OpenVinoRuntime.dlopenReason(jna);
        assertEquals("libopenvino_c.so: cannot open shared object file: No such file or directory", reason);
        assertTrue(OpenVinoRuntime.isMissing(reason));
        assertEquals("unknown error", OpenVinoRuntime.dlopenReason(null));
    }

    @Test
    void aMissingDependencyIsNotAMissingLibrary() {
        String reason = OpenVinoRuntime.dlopenReason("Unable to load library 'openvino_c':\n"
                + "libopenvino.so.2510: cannot open shared object file: No such file or directory");
        assertFalse(OpenVinoRuntime.isMissing(reason), "found on the system path but broken: must be reported");
    }

    @Test
    void readsTheReleaseYearOfABuildNumber() {
        assertEquals(2025, OpenVinoRuntime.releaseYear("2025.1.0-18503-6fec06580ab-releases/2025/1"));
        assertEquals(2023, OpenVinoRuntime.releaseYear("2023.3.0-13775-ceeafaf64f3-releases/2023/3"));
        assertEquals(2022, OpenVinoRuntime.releaseYear("2022.3.0"));
        assertEquals(-1, OpenVinoRuntime.releaseYear("custom_master_abc"));
        assertEquals(-1, OpenVinoRuntime.releaseYear(""));
    }

    @Test
    void aProbeHasEitherARuntimeOrAReason() {
        assertThrows(IllegalArgumentException.class, () -> new OpenVinoRuntime.Probe(null, ""));
    }
}
