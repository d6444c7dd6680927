package com.factory.inspect.tools;

import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.ResizeMethod;
import com.factory.inspect.api.model.TensorLayout;
import com.factory.inspect.models.descriptor.ModelJar;
import com.factory.inspect.models.descriptor.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code package-model} command line: an ONNX file plus what the gateway must know about it.
 *
 * @param model the model file
 * @param descriptor the descriptor built from the options (checksum of the file included)
 * @param symbolicName bundle symbolic name of the jar
 * @param out where the jar goes
 * @param verify whether to verify it on a backend after writing
 */
record PackageOptions(Path model, ModelDescriptor descriptor, String symbolicName, Path out, boolean verify) {

    static final String USAGE = String.join("\n",
            "usage: package-model --onnx FILE --name NAME --version VERSION [options]",
            "  --labels L1,L2,...      output labels (default good,defect)",
            "  --defect-index N        which label means defect (default: the one named 'defect', else 1)",
            "  --threshold T           decision threshold on p(defect), 0..1 (default 0.5)",
            "  --input WxH             model input size (default 224x224)",
            "  --colour mono|rgb|bgr   channels the model expects (default rgb)",
            "  --layout nchw|nhwc      input layout (default nchw)",
            "  --resize bilinear|nearest (default bilinear)",
            "  --scale S               pixel scale before mean/std, e.g. 1/255 (default 1/255)",
            "  --mean M[,M,M]          per-channel mean after scaling (default 0)",
            "  --std S[,S,S]           per-channel std after scaling (default 1)",
            "  --batch N               batch dimension, -1 for dynamic (default -1)",
            "  --symbolic-name BSN     bundle symbolic name (default " + ModelJar.DEFAULT_SYMBOLIC_NAME_PREFIX
                    + "<name>)",
            "  --out FILE              the jar to write (default <name>-<version>.jar)",
            "  --no-verify             skip loading it on a backend (formats no backend here can run)");

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    static PackageOptions parse(List<String> args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        boolean verify = true;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--no-verify")) {
                verify = false;
                continue;
            }
            if (!a.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value" : "unexpected '" + a + "'");
            }
            o.put(a.substring(2), args.get(++i));
        }
        for (String key : o.keySet()) {
            if (!List.of("onnx", "name", "version", "labels", "defect-index", "threshold", "input", "colour", "layout",
                    "resize", "scale", "mean", "std", "batch", "symbolic-name", "out").contains(key)) {
                throw new IllegalArgumentException("unknown option --" + key);
            }
        }
        Path model = Path.of(required(o, "onnx"));
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--onnx " + model.toAbsolutePath() + ": no such file");
        }
        String name = required(o, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("--name '" + name + "': use lower-case letters, digits, '.', '-', '_'");
        }
        List<String> labels = List.of(o.getOrDefault("labels", "good,defect").split(","));
        int defectIndex = o.containsKey("defect-index") ? integer(o, "defect-index")
                : labels.contains("defect") ? labels.indexOf("defect") : 1;
        ColourOrder colour = choice(o, "colour", "rgb", ColourOrder.class);
        TensorLayout layout = choice(o, "layout", "nchw", TensorLayout.class);
        String[] size = o.getOrDefault("input", "224x224").toLowerCase(Locale.ROOT).split("x");
        if (size.length != 2) {
            throw new IllegalArgumentException("--input '" + o.get("input") + "': use WIDTHxHEIGHT, e.g. 224x224");
        }
        int width = positive("input width", size[0]);
        int height = positive("input height", size[1]);
        int batch = o.containsKey("batch") ? integer(o, "batch") : -1;
        int c = colour.channels();
        List<Integer> shape = layout == TensorLayout.NCHW ? List.of(batch, c, height, width)
                : List.of(batch, height, width, c);
        Preprocessing pre = new Preprocessing(colour, choice(o, "resize", "bilinear", ResizeMethod.class),
                fraction(o.getOrDefault("scale", "1/255")), perChannel(o, "mean", "0", c), perChannel(o, "std", "1", c));
        String version = required(o, "version");
        double threshold = o.containsKey("threshold") ? fraction(o.get("threshold")) : 0.5;
        byte[] bytes = Files.readAllBytes(model);
        ModelDescriptor descriptor;
        try {
            descriptor = new ModelDescriptor(name, version, ModelFormat.ONNX, "model/" + name + ".onnx", shape, layout,
                    pre, labels, defectIndex, threshold, Sha256.hex(bytes));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid model description: " + e.getMessage(), e);
        }
        String bsn = o.getOrDefault("symbolic-name", ModelJar.DEFAULT_SYMBOLIC_NAME_PREFIX + name);
        Path out = Path.of(o.getOrDefault("out", name + "-" + version + ".jar"));
        return new PackageOptions(model, descriptor, bsn, out, verify);
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v.trim();
    }

    private static int integer(Map<String, String> o, String key) {
        try {
            return Integer.parseInt(o.get(key).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + key + " '" + o.get(key) + "' is not a whole number");
        }
    }

    private static int positive(String what, String text) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(what + " '" + text + "' must be a positive whole number");
    }

    /** A number, or a fraction written {@code a/b}. */
    static double fraction(String text) {
        try {
            String[] parts = text.trim().split("/");
            double v = parts.length == 2 ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])
                    : Double.parseDouble(parts[0]);
            if (parts.length <= 2 && Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a number (fractions like 1/255 work too)");
    }

    private static List<Double> perChannel(Map<String, String> o, String key, String fallback, int channels) {
        String[] parts = o.getOrDefault(key, fallback).split(",");
        List<Double> values = new ArrayList<>();
        for (String p : parts) {
            values.add(fraction(p));
        }
        if (values.size() == 1) {
            return Collections.nCopies(channels, values.get(0));
        }
        if (values.size() != channels) {
            throw new IllegalArgumentException("--" + key + " needs 1 or " + channels + " values, got " + values.size());
        }
        return values;
    }

    private static <E extends Enum<E>> E choice(Map<String, String> o, String key, String fallback, Class<E> type) {
        String v = o.getOrDefault(key, fallback).trim();
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException("--" + key + " '" + v + "': one of " + allowed);
        }
    }
}
