package com.factory.inspect.backend.tensorrt;

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
 * The test models and model sources for them. {@code tiny-classifier*.onnx} and
 * {@code slow-classifier.onnx} are the ONNX Runtime backend's (tools/models/make_test_models.py):
 * every one computes {@code p = softmax([-2 m + 0.5, 2 m - 0.5])} with {@code m} the mean of an 8×8
 * image. {@code qdq-*.onnx} come from src/test/python/make_qdq_models.py.
 */
final class TestModels {
    static final String TINY = "tiny-classifier.onnx";
    static final String TINY_FIXED = "tiny-classifier-fixed.onnx";
    static final String SLOW = "slow-classifier.onnx";
    static final String QDQ = "qdq-classifier.onnx";
    static final String QDQ_IN_SUBGRAPH = "qdq-in-subgraph.onnx";
    static final List<Integer> DYNAMIC_8X8 = List.of(-1, 1, 8, 8);
    static final List<Integer> FIXED_8X8 = List.of(1, 1, 8, 8);
    static final List<String> LABELS = List.of("good", "defect");
    static final Preprocessing MONO = new Preprocessing(ColourOrder.MONO, ResizeMethod.BILINEAR, 1.0 / 255,
            List.of(0.5), List.of(0.25));
    static final int PIXELS = 64;

    private TestModels() {
    }

    static ModelDescriptor descriptor(String file, List<Integer> shape, ModelFormat format) {
        return new ModelDescriptor(file.replace(".onnx", ""), "1.0.0", format, "model/" + file, shape,
                TensorLayout.NCHW, MONO, LABELS, 1, 0.5, sha256(bytes(file)));
    }

    /** A source reading {@code file} from the test resources and checking its SHA-256. */
    static ModelSource source(String file, List<Integer> shape) {
        return new ResourceModelSource(file, descriptor(file, shape, ModelFormat.ONNX));
    }

    /** The expected probabilities of image {@code offset / PIXELS}. */
    static float[] expected(float[] images, int offset) {
        double m = 0;
        for (int i = 0; i < PIXELS; i++) {
            m += images[offset + i];
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
                throw new IllegalArgumentException("no test resource " + resource);
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
            byte[] data = bytes(resource);
            if (!sha256(data).equals(descriptor.sha256())) {
                throw new InferenceException(ErrorCode.CHECKSUM_MISMATCH, resource + " does not match its descriptor");
            }
            return data;
        }

        @Override
        public String origin() {
            return "test resource " + resource;
        }
    }
}
