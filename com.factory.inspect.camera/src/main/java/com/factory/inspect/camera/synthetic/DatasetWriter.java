package com.factory.inspect.camera.synthetic;

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
 * Writes a labelled data set of synthetic part images: {@code N} grey PNGs and {@code labels.csv}
 * ({@code image,label,annotation}; label 0 = good, 1 = defect). The same arguments give the same bytes.
 * Runs without OSGi: {@code java -cp <camera jar>:<api jar>
 * com.factory.inspect.camera.synthetic.DatasetWriter --out DIR --count N --seed S}.
 */
public final class DatasetWriter {
    static final String USAGE = "usage: DatasetWriter --out DIR --count N [--seed S] [--width W] [--height H]"
            + " [--defect-rate R] [--defect-types scratch,pit,crack,stain]";

    private static final Set<String> KNOWN = Set.of("--out", "--count", "--seed", "--width", "--height",
            "--defect-rate", "--defect-types");

    private DatasetWriter() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        if (options.containsKey("help")) {
            System.out.println(USAGE);
            return;
        }
        try {
            Path out = Path.of(required(options, "out"));
            int count = Integer.parseInt(required(options, "count"));
            long seed = Long.parseLong(options.getOrDefault("seed", "0"));
            int width = Integer.parseInt(options.getOrDefault("width", "640"));
            int height = Integer.parseInt(options.getOrDefault("height", "480"));
            double rate = Double.parseDouble(options.getOrDefault("defect-rate", "0.1"));
            Set<DefectType> types = DefectType.parse(options.getOrDefault("defect-types", "scratch,pit,crack,stain"));
            if (count < 0) {
                throw new IllegalArgumentException("--count must not be negative, was " + count);
            }
            int defective = write(out, count, new SurfaceRenderer(width, height, seed, types), rate);
            System.out.printf(Locale.ROOT, "wrote %d images (%d defective) of %dx%d, seed %d, to %s%n", count,
                    defective, width, height, seed, out);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
        }
    }

    /**
     * Writes images {@code 0..count-1} of {@code renderer} and {@code labels.csv} into {@code out}.
     *
     * @return how many images show a defect
     */
    public static int write(Path out, int count, SurfaceRenderer renderer, double defectRate) throws IOException {
        Files.createDirectories(out);
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
            } else if (KNOWN.contains(arg) && i + 1 < args.length) {
                options.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
