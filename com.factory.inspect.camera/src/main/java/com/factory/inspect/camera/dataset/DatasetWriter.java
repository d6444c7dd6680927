package com.factory.inspect.camera.dataset;

import com.factory.inspect.camera.synthetic.DefectType;
import com.factory.inspect.camera.synthetic.RenderedSurface;
import com.factory.inspect.camera.synthetic.SurfaceRenderer;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

/**
 * Writes a labelled data set of the synthetic camera's part images: {@code N} grey PNGs and
 * {@code labels.csv} ({@code image,label,annotation}; label 0 = good, 1 = defect; the annotation names
 * the defect, its size and contrast). The same arguments give the same bytes, so a seed names a data
 * set. Used for training ({@code tools/train}), by the tools jar's {@code dataset} command and by the
 * demo model's accuracy test; also runs without OSGi: {@code java -cp <camera jar>:<api jar>
 * com.factory.inspect.camera.dataset.DatasetWriter --out DIR --count N --seed S}.
 */
public final class DatasetWriter {
    public static final String USAGE = "usage: DatasetWriter --out DIR --count N [--seed S] [--width W] [--height H]"
            + " [--defect-rate R] [--defect-types scratch,pit,crack,stain] [--masks]";

    /** Every defect type the synthetic camera draws. */
    public static final String ALL_TYPES = "scratch,pit,crack,stain";

    private static final Set<String> KNOWN = Set.of("--out", "--count", "--seed", "--width", "--height",
            "--defect-rate", "--defect-types");

    private DatasetWriter() {
    }

    public static void main(String[] args) throws IOException {
        try {
            System.out.println(run(args));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /**
     * Writes the data set a command line describes ({@link #USAGE}).
     *
     * @return a one-line summary of what was written, or the usage for {@code --help}
     * @throws IllegalArgumentException for a missing, unknown or invalid argument, with the reason
     */
    public static String run(String... args) throws IOException {
        Map<String, String> options = parse(args);
        if (options.containsKey("help")) {
            return USAGE;
        }
        boolean masks = options.containsKey("masks");
        Path out = Path.of(required(options, "out"));
        int count = number(options, "count", null);
        long seed = number(options, "seed", "0");
        int width = number(options, "width", "640");
        int height = number(options, "height", "480");
        double rate;
        try {
            rate = Double.parseDouble(options.getOrDefault("defect-rate", "0.1"));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--defect-rate must be a number within 0..1, was '"
                    + options.get("defect-rate") + "'");
        }
        int defective = write(out, count, seed, width, height, rate, options.getOrDefault("defect-types", ALL_TYPES),
                masks);
        return String.format(Locale.ROOT, "wrote %d images (%d defective) of %dx%d, seed %d, to %s", count,
                defective, width, height, seed, out);
    }

    /**
     * Writes images {@code 0..count-1} of the synthetic surface with {@code seed} and {@code labels.csv}
     * into {@code out} (created if missing).
     *
     * @param defectRate the fraction of images that get a defect, 0..1
     * @param defectTypes comma-separated defect types: scratch, pit, crack, stain
     * @return how many images show a defect
     * @throws IllegalArgumentException for a negative count, a side under 64 pixels, a rate outside 0..1
     *         or an unknown defect type
     */
    public static int write(Path out, int count, long seed, int width, int height, double defectRate,
            String defectTypes) throws IOException {
        return write(out, count, seed, width, height, defectRate, defectTypes, false);
    }

    /**
     * As {@link #write(Path, int, long, int, int, double, String)}; with {@code masks}, also writes
     * {@code masks/<image>.png} for each defective image: 255 where the defect changed a pixel, 0
     * elsewhere (the same part rendered without its defect, compared), for training with
     * where-supervision.
     */
    public static int write(Path out, int count, long seed, int width, int height, double defectRate,
            String defectTypes, boolean masks) throws IOException {
        if (count < 0) {
            throw new IllegalArgumentException("count must not be negative, was " + count);
        }
        if (!(defectRate >= 0 && defectRate <= 1)) {
            throw new IllegalArgumentException("defect rate must be within 0..1, was " + defectRate);
        }
        Set<DefectType> types = DefectType.parse(defectTypes);
        return write(out, count, new SurfaceRenderer(width, height, seed, types), defectRate, masks);
    }

    private static int write(Path out, int count, SurfaceRenderer renderer, double defectRate, boolean masks)
            throws IOException {
        Files.createDirectories(out);
        if (masks) {
            Files.createDirectories(out.resolve("masks"));
        }
        BufferedImage maskImage = new BufferedImage(renderer.width(), renderer.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] mask = ((DataBufferByte) maskImage.getRaster().getDataBuffer()).getData();
        int digits = Math.max(5, Integer.toString(Math.max(count - 1, 0)).length());
        BufferedImage image = new BufferedImage(renderer.width(), renderer.height(), BufferedImage.TYPE_BYTE_GRAY);
        byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        int defective = 0;
        try (Writer labels = Files.newBufferedWriter(out.resolve("labels.csv"), StandardCharsets.UTF_8)) {
            labels.write("image,label,annotation\n");
            for (int i = 0; i < count; i++) {
                RenderedSurface surface = renderer.render(i, defectRate, pixels);
                String name = String.format(Locale.ROOT, "img_%0" + digits + "d.png", i);
                if (!ImageIO.write(image, "png", out.resolve(name).toFile())) {
                    throw new IOException("this Java runtime has no PNG writer");
                }
                labels.write(name + "," + (surface.defective() ? 1 : 0) + "," + surface.annotation() + "\n");
                defective += surface.defective() ? 1 : 0;
                if (masks && surface.defective()) {
                    // A frame's defect decision is its own draw: rate 0 renders the same part without it.
                    renderer.render(i, 0.0, mask);
                    for (int k = 0; k < mask.length; k++) {
                        mask[k] = mask[k] == pixels[k] ? 0 : (byte) 255;
                    }
                    ImageIO.write(maskImage, "png", out.resolve("masks").resolve(name).toFile());
                }
            }
        }
        return defective;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                options.put("help", "");
            } else if (arg.equals("--masks")) {
                options.put("masks", "");
            } else if (KNOWN.contains(arg) && i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
        }
        return options;
    }

    private static int number(Map<String, String> options, String name, String fallback) {
        String value = fallback == null ? required(options, name) : options.getOrDefault(name, fallback);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, was '" + value + "'");
        }
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
