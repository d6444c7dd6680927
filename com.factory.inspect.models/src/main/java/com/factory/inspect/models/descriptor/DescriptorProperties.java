package com.factory.inspect.models.descriptor;

import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.ResizeMethod;
import com.factory.inspect.api.model.TensorLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads and writes a model descriptor as a properties file a person can read and diff:
 * <pre>
 * name=surface-demo
 * version=1.0.0
 * format=onnx
 * file=model/surface-demo.onnx
 * sha256=&lt;64 hex digits&gt;
 * input.shape=-1,1,224,224
 * input.layout=NCHW
 * preprocess.colour=MONO
 * preprocess.resize=BILINEAR
 * preprocess.scale=0.00392156862745098
 * preprocess.mean=0.5
 * preprocess.std=0.25
 * output.labels=good,defect
 * output.defect.index=1
 * decision.threshold=0.08
 * </pre>
 */
public final class DescriptorProperties {

    private DescriptorProperties() {
    }

    /**
     * Parses a descriptor.
     *
     * @param in the properties file (UTF-8)
     * @param where where it comes from, for messages
     */
    public static ModelDescriptor read(InputStream in, String where) throws DescriptorException {
        Properties p = new Properties();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new DescriptorException("cannot read model descriptor " + where + ": " + e.getMessage(), e);
        }
        return fromProperties(p, where);
    }

    /** Builds a descriptor from parsed properties. */
    public static ModelDescriptor fromProperties(Properties p, String where) throws DescriptorException {
        try {
            ColourOrder colour = enumValue(p, "preprocess.colour", ColourOrder.class, where);
            Preprocessing pre = new Preprocessing(colour, enumValue(p, "preprocess.resize", ResizeMethod.class, where),
                    number(p, "preprocess.scale", where),
                    numbers(p, "preprocess.mean", colour.channels(), where),
                    numbers(p, "preprocess.std", colour.channels(), where));
            return new ModelDescriptor(required(p, "name", where), required(p, "version", where),
                    ModelFormat.of(required(p, "format", where)), required(p, "file", where),
                    list(p, "input.shape", where, s -> Integer.valueOf(s)),
                    enumValue(p, "input.layout", TensorLayout.class, where), pre,
                    list(p, "output.labels", where, Function.identity()),
                    (int) number(p, "output.defect.index", where), number(p, "decision.threshold", where),
                    required(p, "sha256", where).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DescriptorException("invalid model descriptor " + where + ": " + e.getMessage(), e);
        }
    }

    /** The descriptor as properties text, keys sorted, ready to write to a file. */
    public static String write(ModelDescriptor d) {
        TreeMap<String, String> m = new TreeMap<>();
        m.put("name", d.name());
        m.put("version", d.version());
        m.put("format", d.format().name());
        m.put("file", d.file());
        m.put("sha256", d.sha256());
        m.put("input.shape", join(d.inputShape()));
        m.put("input.layout", d.inputLayout().name());
        Preprocessing pre = d.preprocessing();
        m.put("preprocess.colour", pre.colour().name());
        m.put("preprocess.resize", pre.resize().name());
        m.put("preprocess.scale", Double.toString(pre.scale()));
        m.put("preprocess.mean", join(pre.mean()));
        m.put("preprocess.std", join(pre.std()));
        m.put("output.labels", String.join(",", d.outputLabels()));
        m.put("output.defect.index", Integer.toString(d.defectIndex()));
        m.put("decision.threshold", Double.toString(d.threshold()));
        StringWriter out = new StringWriter();
        m.forEach((k, v) -> out.append(k).append('=').append(escape(v)).append('\n'));
        return out.toString();
    }

    private static String escape(String value) {
        // Values here are names, numbers and lists; only the characters properties treat specially need care.
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '#' || c == '!' || c == '=' || c == ':') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String join(List<?> values) {
        StringBuilder b = new StringBuilder();
        for (Object v : values) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(v);
        }
        return b.toString();
    }

    private static String required(Properties p, String key, String where) throws DescriptorException {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new DescriptorException("model descriptor " + where + " lacks '" + key + "'");
        }
        return v.trim();
    }

    private static double number(Properties p, String key, String where) throws DescriptorException {
        String v = required(p, key, where);
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new DescriptorException("model descriptor " + where + ": '" + key + "' is not a number: " + v);
        }
    }

    private static List<Double> numbers(Properties p, String key, int count, String where)
            throws DescriptorException {
        List<Double> values = list(p, key, where, Double::valueOf);
        // One value applies to every channel, so a mono-style "0.5" also works for RGB.
        if (values.size() == 1 && count > 1) {
            List<Double> repeated = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                repeated.add(values.get(0));
            }
            return repeated;
        }
        return values;
    }

    private static <T> List<T> list(Properties p, String key, String where, Function<String, T> parse)
            throws DescriptorException {
        String v = required(p, key, where);
        List<T> values = new ArrayList<>();
        for (String part : v.split(",")) {
            try {
                values.add(parse.apply(part.trim()));
            } catch (IllegalArgumentException e) {
                throw new DescriptorException("model descriptor " + where + ": '" + key + "' has a bad element '"
                        + part.trim() + "' in '" + v + "'");
            }
        }
        return values;
    }

    private static <E extends Enum<E>> E enumValue(Properties p, String key, Class<E> type, String where)
            throws DescriptorException {
        String v = required(p, key, where);
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                allowed.add(c.name());
            }
            throw new DescriptorException("model descriptor " + where + ": '" + key + "' is '" + v + "', expected one of "
                    + allowed);
        }
    }
}
