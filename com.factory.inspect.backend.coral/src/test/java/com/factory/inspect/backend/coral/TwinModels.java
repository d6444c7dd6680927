package com.factory.inspect.backend.coral;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.ResizeMethod;
import com.factory.inspect.api.model.TensorLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The twin models of {@code tools/models/make_twin_models.py} (test resources {@code twin/}), their
 * numpy reference outputs, and model sources for them. Descriptors are NHWC, as the gate's
 * preprocessor must then write TensorFlow Lite's input: {@code [-1, 32, 32, 1]}, grey.
 */
final class TwinModels {
    static final String TWIN = "twin.tflite";
    static final String FIXED = "twin-fixed.tflite";
    static final String UINT8 = "twin-uint8.tflite";
    static final String EDGETPU = "twin-edgetpu.tflite";
    static final List<Integer> DYNAMIC = List.of(-1, 32, 32, 1);
    static final List<Integer> BATCH_1 = List.of(1, 32, 32, 1);
    static final List<String> LABELS = List.of("good", "defect");
    static final Preprocessing MONO = new Preprocessing(ColourOrder.MONO, ResizeMethod.BILINEAR, 1.0 / 255,
            List.of(0.5), List.of(0.25));
    static final int PIXELS = 32 * 32;
    /** twin-uint8.tflite's output quantum: its probabilities are multiples of 1/256. */
    static final float UINT8_OUTPUT_STEP = 1f / 256;
    static final Reference REFERENCE = Reference.read();

    private TwinModels() {
    }

    /** A descriptor for {@code file} with the file's real checksum. */
    static ModelDescriptor descriptor(String file, List<Integer> shape, List<String> labels) {
        return descriptor(file, shape, labels, sha256(bytes(file)), ModelFormat.TFLITE);
    }

    static ModelDescriptor descriptor(String file, List<Integer> shape, List<String> labels, String sha256,
            ModelFormat format) {
        return new ModelDescriptor(file.substring(0, file.indexOf('.')), "1.0.0", format, "model/" + file, shape,
                TensorLayout.NHWC, MONO, labels, 1, 0.5, sha256);
    }

    /** A source reading {@code file} from the test resources, like the model extender's would. */
    static ModelSource source(String file) {
        return source(file, file.equals(TWIN) || file.equals(UINT8) ? DYNAMIC : BATCH_1);
    }

    static ModelSource source(String file, List<Integer> shape) {
        return new ResourceModelSource(file, descriptor(file, shape, LABELS));
    }

    static byte[] bytes(String file) {
        try (InputStream in = TwinModels.class.getResourceAsStream("/twin/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource twin/" + file
                        + "; run tools/models/make_twin_models.py");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * twin-reference.txt: per image 1024 floats (the same order in NCHW and NHWC for one channel), the
     * float models' probabilities and twin-uint8.tflite's.
     */
    record Reference(float[][] images, double[][] probabilities, double[][] uint8Probabilities) {
        static Reference read() {
            String text = new String(bytes("twin-reference.txt"), StandardCharsets.US_ASCII);
            float[][] images = null;
            double[][] floats = null;
            double[][] uint8 = null;
            for (String line : text.split("\n")) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "images" -> {
                        int n = Integer.parseInt(f[1]);
                        images = new float[n][PIXELS];
                        floats = new double[n][2];
                        uint8 = new double[n][2];
                    }
                    case "image" -> {
                        for (int k = 0; k < PIXELS; k++) {
                            images[Integer.parseInt(f[1])][k] = Float.parseFloat(f[k + 2]);
                        }
                    }
                    case "float" -> floats[Integer.parseInt(f[1])] = new double[] {Double.parseDouble(f[2]),
                            Double.parseDouble(f[3])};
                    case "uint8" -> uint8[Integer.parseInt(f[1])] = new double[] {Double.parseDouble(f[2]),
                            Double.parseDouble(f[3])};
                    default -> {
                        // comments
                    }
                }
            }
            return new Reference(images, floats, uint8);
        }

        int count() {
            return images.length;
        }

        /** Images {@code first, first+1, ...} (wrapping around), one after the other. */
        float[] batch(int first, int size) {
            float[] data = new float[size * PIXELS];
            for (int i = 0; i < size; i++) {
                System.arraycopy(images[(first + i) % images.length], 0, data, i * PIXELS, PIXELS);
            }
            return data;
        }
    }

    /** Reads a test resource and checks its SHA-256 against the descriptor, as a real source must. */
    record ResourceModelSource(String resource, ModelDescriptor descriptor) implements ModelSource {
        @Override
        public byte[] readModel() throws InferenceException {
            byte[] data;
            try (InputStream in = TwinModels.class.getResourceAsStream("/twin/" + resource)) {
                if (in == null) {
                    throw new InferenceException(ErrorCode.MODEL_UNREADABLE, "no resource twin/" + resource);
                }
                data = in.readAllBytes();
            } catch (IOException e) {
                throw new InferenceException(ErrorCode.MODEL_UNREADABLE, "cannot read " + resource, e);
            }
            String actual = sha256(data);
            if (!actual.equals(descriptor.sha256())) {
                throw new InferenceException(ErrorCode.CHECKSUM_MISMATCH, "model " + descriptor.coordinates()
                        + " file " + resource + " has SHA-256 " + actual + ", its descriptor says "
                        + descriptor.sha256());
            }
            return data;
        }

        @Override
        public String origin() {
            return "test resource twin/" + resource;
        }
    }

    /** Serves fixed bytes (e.g. a corrupt file) whose checksum matches. */
    record BytesModelSource(byte[] data, ModelDescriptor descriptor) implements ModelSource {
        BytesModelSource(byte[] data) {
            this(data, TwinModels.descriptor(TWIN, DYNAMIC, LABELS, sha256(data), ModelFormat.TFLITE));
        }

        @Override
        public byte[] readModel() {
            return data.clone();
        }

        @Override
        public String origin() {
            return "test bytes";
        }
    }
}
