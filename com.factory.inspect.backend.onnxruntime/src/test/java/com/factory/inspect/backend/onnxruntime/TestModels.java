package com.factory.inspect.backend.onnxruntime;

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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The test models of {@code tools/models/make_test_models.py} and model sources for them. Every model
 * computes {@code p = softmax([-2 m + 0.5, 2 m - 0.5])} with {@code m} the mean of an image.
 */
final class TestModels {
    static final String TINY = "tiny-classifier.onnx";
    static final String TINY_FIXED = "tiny-classifier-fixed.onnx";
    static final String SLOW = "slow-classifier.onnx";
    static final List<Integer> DYNAMIC_8X8 = List.of(-1, 1, 8, 8);
    static final List<String> LABELS = List.of("good", "defect");
    static final Preprocessing MONO = new Preprocessing(ColourOrder.MONO, ResizeMethod.BILINEAR, 1.0 / 255,
            List.of(0.5), List.of(0.25));
    static final int PIXELS = 64;

    private TestModels() {
    }

    /** A descriptor for {@code file} with the given input shape and labels and the file's real checksum. */
    static ModelDescriptor descriptor(String file, List<Integer> shape, List<String> labels) {
        return descriptor(file, shape, labels, sha256(bytes(file)), ModelFormat.ONNX);
    }

    static ModelDescriptor descriptor(String file, List<Integer> shape, List<String> labels, String sha256,
            ModelFormat format) {
        return new ModelDescriptor(file.replace(".onnx", ""), "1.0.0", format, "model/" + file, shape,
                TensorLayout.NCHW, MONO, labels, 1, 0.5, sha256);
    }

    /** A source reading {@code file} from the test resources, like the model extender's would. */
    static ModelSource source(String file) {
        return source(file, DYNAMIC_8X8);
    }

    static ModelSource source(String file, List<Integer> shape) {
        return new ResourceModelSource(file, descriptor(file, shape, LABELS));
    }

    /** The expected probabilities of one image. */
    static float[] expected(float[] image, int offset) {
        double m = 0;
        for (int i = 0; i < PIXELS; i++) {
            m += image[offset + i];
        }
        m /= PIXELS;
        double good = -2 * m + 0.5;
        double defect = 2 * m - 0.5;
        double max = Math.max(good, defect);
        double eg = Math.exp(good - max);
        double ed = Math.exp(defect - max);
        return new float[] {(float) (eg / (eg + ed)), (float) (ed / (eg + ed))};
    }

    /** {@code images} 8×8 images whose pixels ramp from {@code seed / 10} in small steps. */
    static float[] images(int images, int seed) {
        float[] data = new float[images * PIXELS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (seed % 10) / 10f + (i % PIXELS) / 128f - (i / PIXELS) * 0.05f;
        }
        return data;
    }

    static byte[] bytes(String resource) {
        try (InputStream in = TestModels.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource
                        + "; run tools/models/make_test_models.py");
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

    /** Reads a test resource and checks its SHA-256 against the descriptor, as a real source must. */
    record ResourceModelSource(String resource, ModelDescriptor descriptor) implements ModelSource {
        @Override
        public byte[] readModel() throws InferenceException {
            byte[] data;
            try (InputStream in = TestModels.class.getResourceAsStream("/" + resource)) {
                if (in == null) {
                    throw new InferenceException(ErrorCode.MODEL_UNREADABLE, "no resource " + resource);
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
            return "test resource " + resource;
        }
    }

    /** Serves fixed bytes (e.g. a corrupt file) whose checksum matches. */
    record BytesModelSource(byte[] data, ModelDescriptor descriptor) implements ModelSource {
        BytesModelSource(byte[] data) {
            this(data, TestModels.descriptor(TINY, DYNAMIC_8X8, LABELS, sha256(data), ModelFormat.ONNX));
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
