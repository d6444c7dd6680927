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
        try {
            List<float[][]> reference = readReference(FOLDER + "reference.txt");
            List<TwinModel> twins = new ArrayList<>();
            for (String name : List.of("twin-onnx", "twin-tflite")) {
                ModelDescriptor d;
                try (InputStream in = resource(FOLDER + name + ".properties")) {
                    d = DescriptorProperties.read(in, FOLDER + name + ".properties");
                }
                byte[] bytes;
                try (InputStream in = resource(FOLDER + d.file())) {
                    bytes = in.readAllBytes();
                }
                twins.add(new TwinModel(d, bytes, reference.stream().map(r -> r[0]).toList(),
                        reference.stream().map(r -> r[1]).toList()));
            }
            return List.copyOf(twins);
        } catch (IOException e) {
            throw new UncheckedIOException("conformance twins unreadable: " + e.getMessage(), e);
        } catch (DescriptorException e) {
            throw new IllegalStateException("conformance twin descriptor invalid: " + e.getMessage(), e);
        }
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
        return "conformance twin " + descriptor.coordinates() + " (" + descriptor.format() + ")";
    }

    /** Elements of one input item. */
    public int inputLength() {
        return inputs.get(0).length;
    }

    /** Elements of one output item. */
    public int outputLength() {
        return outputs.get(0).length;
    }

    private static InputStream resource(String path) throws IOException {
        InputStream in = TwinModel.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IOException("resource " + path + " missing from the conformance bundle");
        }
        return in;
    }

    /** Lines {@code input v v v ...} each followed by {@code output v v}; {@code #} starts a comment. */
    static List<float[][]> readReference(String path) throws IOException {
        List<float[][]> pairs = new ArrayList<>();
        float[] pending = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(resource(path), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                float[] values = new float[parts.length - 1];
                for (int i = 1; i < parts.length; i++) {
                    values[i - 1] = Float.parseFloat(parts[i]);
                }
                if (parts[0].equals("input") && pending == null) {
                    pending = values;
                } else if (parts[0].equals("output") && pending != null) {
                    pairs.add(new float[][] {pending, values});
                    pending = null;
                } else {
                    throw new IOException(path + " line " + number + ": expected "
                            + (pending == null ? "input" : "output") + ", got '" + parts[0] + "'");
                }
            }
        }
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
