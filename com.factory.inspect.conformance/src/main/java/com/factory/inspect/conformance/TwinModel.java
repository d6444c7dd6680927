package com.factory.inspect.conformance;

import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.models.descriptor.DescriptorException;
import com.factory.inspect.models.descriptor.DescriptorProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One twin model: the same small network in one format, with reference inputs and the outputs
 * computed for them outside any backend (numpy, by {@code tools/models/make_twin_models.py}).
 *
 * @param descriptor the model's descriptor (input {@code [N,1,H,W]} or {@code [N,H,W,1]}: with one
 *        channel both layouts have the same memory order, so the twins share their reference)
 * @param model the model file's bytes
 * @param inputs reference inputs, one item each
 * @param outputs the expected output for each input
 */
public record TwinModel(ModelDescriptor descriptor, byte[] model, List<float[]> inputs, List<float[]> outputs)
        implements ModelSource {

    private static final String FOLDER = "twin/";

    public TwinModel {
        Objects.requireNonNull(descriptor, "descriptor");
        model = model.clone();
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (inputs.isEmpty() || inputs.size() != outputs.size()) {
            throw new IllegalArgumentException("a twin needs as many reference outputs as inputs, at least one; got "
                    + inputs.size() + " and " + outputs.size());
        }
    }

    /** The twins carried in this bundle, one per format. */
    public static List<TwinModel> carried() {
        return read(TwinModel.class.getClassLoader(), FOLDER, "twin", "this conformance bundle");
    }

    /**
     * Twins written by {@code tools/models/make_twin_models.py} under {@code folder} of a bundle:
     * {@code <name>-onnx.properties} and {@code <name>-tflite.properties} (descriptors), the model
     * files they name and {@code <name>-reference.txt}.
     *
     * @param where names the bundle in error messages
     * @throws java.io.UncheckedIOException if a file is missing or unreadable
     * @throws IllegalStateException if a descriptor is invalid
     */
    public static List<TwinModel> read(ClassLoader loader, String folder, String name, String where) {
        try {
            List<float[][]> reference = readReference(loader, folder + name + "-reference.txt", where);
            List<TwinModel> twins = new ArrayList<>();
            for (String format : List.of("onnx", "tflite")) {
                String descriptor = folder + name + "-" + format + ".properties";
                ModelDescriptor d;
                try (InputStream in = resource(loader, descriptor, where)) {
                    d = DescriptorProperties.read(in, descriptor);
                }
                byte[] bytes;
                try (InputStream in = resource(loader, folder + d.file(), where)) {
                    bytes = in.readAllBytes();
                }
                twins.add(new TwinModel(d, bytes, reference.stream().map(r -> r[0]).toList(),
                        reference.stream().map(r -> r[1]).toList()));
            }
            return List.copyOf(twins);
        } catch (IOException e) {
            throw new UncheckedIOException("twins " + name + " in " + where + " unreadable: " + e.getMessage(), e);
        } catch (DescriptorException e) {
            throw new IllegalStateException("twin descriptor invalid in " + where + ": " + e.getMessage(), e);
        }
    }

    /** The first of {@code twins} in a format {@code backend} accepts, if any. */
    public static java.util.Optional<TwinModel> acceptedBy(List<TwinModel> twins,
            com.factory.inspect.api.inference.InferenceBackend backend) {
        return twins.stream().filter(t -> backend.acceptedFormats().contains(t.descriptor().format())).findFirst();
    }

    /** The carried twin in {@code format}, if there is one. */
    public static java.util.Optional<TwinModel> carried(ModelFormat format) {
        return carried().stream().filter(t -> t.descriptor().format().equals(format)).findFirst();
    }

    @Override
    public byte[] readModel() throws InferenceException {
        return model.clone();
    }

    @Override
    public String origin() {
        return "twin model " + descriptor.coordinates() + " (" + descriptor.format() + ")";
    }

    /** Elements of one input item. */
    public int inputLength() {
        return inputs.get(0).length;
    }

    /** Elements of one output item. */
    public int outputLength() {
        return outputs.get(0).length;
    }

    private static InputStream resource(ClassLoader loader, String path, String where) throws IOException {
        InputStream in = loader.getResourceAsStream(path);
        if (in == null) {
            throw new IOException("resource " + path + " missing from " + where);
        }
        return in;
    }

    /**
     * The generator's reference file: {@code image <i> <floats>} and {@code float <i> <p0> <p1>} per
     * reference (other lines, such as the quantised twin's {@code uint8 <i> ...}, are not for these
     * twins); {@code #} starts a comment.
     */
    static List<float[][]> readReference(ClassLoader loader, String path, String where) throws IOException {
        java.util.Map<Integer, float[]> images = new java.util.TreeMap<>();
        java.util.Map<Integer, float[]> outputs = new java.util.TreeMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource(loader, path, where), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                if (!parts[0].equals("image") && !parts[0].equals("float")) {
                    continue;
                }
                try {
                    float[] values = new float[parts.length - 2];
                    for (int i = 2; i < parts.length; i++) {
                        values[i - 2] = Float.parseFloat(parts[i]);
                    }
                    (parts[0].equals("image") ? images : outputs).put(Integer.parseInt(parts[1]), values);
                } catch (RuntimeException e) {
                    throw new IOException(path + " line " + number + ": not '" + parts[0] + " <index> <numbers>'", e);
                }
            }
        }
        if (images.isEmpty() || !images.keySet().equals(outputs.keySet())) {
            throw new IOException(path + ": images " + images.keySet() + " but outputs " + outputs.keySet());
        }
        List<float[][]> pairs = new ArrayList<>();
        images.forEach((i, image) -> pairs.add(new float[][] {image, outputs.get(i)}));
        return pairs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TwinModel t && descriptor.equals(t.descriptor);
    }

    @Override
    public int hashCode() {
        return descriptor.hashCode();
    }

    @Override
    public String toString() {
        return origin();
    }
}
