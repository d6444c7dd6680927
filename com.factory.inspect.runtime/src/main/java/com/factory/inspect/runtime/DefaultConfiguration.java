package com.factory.inspect.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;

/**
 * Writes the default configuration (the demo line: 12 synthetic cameras at 5 fps, the gate, the CPU
 * backend) into the configuration folder when it has none, so the first start needs no setup and
 * a technician has files to edit.
 */
final class DefaultConfiguration {
    private static final String RESOURCES = "defaults";
    /** The demo line's cameras: station01 .. station12. */
    static final int DEMO_CAMERAS = 12;
    private static final String CAMERA_PID = "com.factory.inspect.camera.synthetic";

    private DefaultConfiguration() {
    }

    /**
     * Seeds {@code folder} if it does not exist or holds no {@code .cfg} file.
     *
     * @return the files written (empty if the folder already had a configuration)
     */
    static List<Path> seed(Bundle bundle, Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.list(folder)) {
                if (files.anyMatch(p -> p.getFileName().toString().endsWith(".cfg"))) {
                    return List.of();
                }
            }
        }
        Files.createDirectories(folder);
        List<Path> written = new ArrayList<>();
        Enumeration<URL> entries = bundle.findEntries(RESOURCES, "*.cfg", false);
        List<URL> sorted = entries == null ? List.of() : Collections.list(entries);
        for (URL entry : sorted) {
            String path = entry.getPath();
            Path target = folder.resolve(path.substring(path.lastIndexOf('/') + 1));
            try (InputStream in = entry.openStream()) {
                Files.copy(in, target);
            }
            written.add(target);
        }
        for (int i = 1; i <= DEMO_CAMERAS; i++) {
            String id = String.format("station%02d", i);
            Path target = folder.resolve(CAMERA_PID + "-" + id + ".cfg");
            Files.writeString(target, cameraConfiguration(id, i));
            written.add(target);
        }
        return written;
    }

    static String cameraConfiguration(String id, int station) {
        return String.join("\n",
                "# Synthetic camera of the demo line: a machined part surface, some parts with scratches,",
                "# pits, cracks or stains. Edit and save: changes apply while running.",
                "camera.id = " + id,
                "fps = 5",
                "width = 640",
                "height = 480",
                "defect.rate = 0.1",
                "seed = " + station,
                "");
    }
}
