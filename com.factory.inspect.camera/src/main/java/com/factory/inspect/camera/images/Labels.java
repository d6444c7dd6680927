package com.factory.inspect.camera.images;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import com.factory.inspect.api.camera.GroundTruth;

/**
 * The ground truth of a replayed folder, from its {@code labels.csv}: {@code image,label[,annotation]},
 * label 0 (or {@code good}) = good, 1 (or {@code defect}) = defect, an optional header line starting
 * with {@code image}. Images it does not list are {@link GroundTruth#UNKNOWN}.
 */
public final class Labels {
    /** The labels file a replay folder may carry. */
    public static final String FILE_NAME = "labels.csv";
    /** No labels: every image is {@link GroundTruth#UNKNOWN}. */
    public static final Labels NONE = new Labels(Map.of());
    private static final Logger LOG = System.getLogger(Labels.class.getName());

    /** One image's label. */
    public record Label(GroundTruth truth, String annotation) {
    }

    private static final Label UNLABELLED = new Label(GroundTruth.UNKNOWN, "");
    private final Map<String, Label> byImage;

    private Labels(Map<String, Label> byImage) {
        this.byImage = Map.copyOf(byImage);
    }

    /** The label of the image with this file name. */
    public Label of(String imageName) {
        return byImage.getOrDefault(imageName, UNLABELLED);
    }

    /** Number of labelled images. */
    public int size() {
        return byImage.size();
    }

    /** Reads {@code labels.csv} from {@code folder}; {@link #NONE} if there is none or it cannot be read. */
    public static Labels read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(file)) {
            return NONE;
        }
        return readFile(file);
    }

    /** Reads a labels file; {@link #NONE} if it cannot be read (logged). */
    public static Labels readFile(Path file) {
        Map<String, Label> labels = new HashMap<>();
        int ignored = 0;
        String firstIgnored = null;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || (number == 1 && trimmed.toLowerCase(Locale.ROOT).startsWith("image"))) {
                    continue;
                }
                String[] fields = trimmed.split(",", 3);
                GroundTruth truth = fields.length >= 2 ? truth(fields[1].strip()) : null;
                if (truth == null) {
                    ignored++;
                    firstIgnored = firstIgnored == null ? "line " + number + ": " + trimmed : firstIgnored;
                    continue;
                }
                labels.put(fields[0].strip(), new Label(truth, fields.length == 3 ? fields[2].strip() : ""));
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot read {0}, replaying without ground truth: {1}", file, e.toString());
            return NONE;
        }
        if (ignored > 0) {
            LOG.log(Level.WARNING, "{0}: ignored {1} lines without a label 0 or 1, first {2}", file, ignored,
                    firstIgnored);
        }
        return new Labels(labels);
    }

    private static GroundTruth truth(String label) {
        return switch (label.toLowerCase(Locale.ROOT)) {
            case "0", "good" -> GroundTruth.GOOD;
            case "1", "defect" -> GroundTruth.DEFECT;
            default -> null;
        };
    }
}
