package com.factory.inspect.backend.openvino;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.ResizeMethod;
import com.factory.inspect.api.model.TensorLayout;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The test models and model sources for them. The ONNX files are those of the ONNX Runtime backend
 * ({@code tools/models/make_test_models.py}); {@link #tinyIr()} is the same network written as an
 * OpenVINO IR by hand. Every model computes {@code p = softmax([-2 m + 0.5, 2 m - 0.5])} with
 * {@code m} the mean of an image.
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

    static ModelDescriptor descriptor(String file, List<Integer> shape, List<String> labels, String sha256,
            ModelFormat format) {
        return new ModelDescriptor(file.replaceAll("\\..*", ""), "1.0.0", format, "model/" + file, shape,
                TensorLayout.NCHW, MONO, labels, 1, 0.5, sha256);
    }

    /** A source reading {@code file} from the test resources, like the model extender's would. */
    static ModelSource source(String file) {
        return source(file, DYNAMIC_8X8);
    }

    static ModelSource source(String file, List<Integer> shape) {
        return new ResourceModelSource(file, descriptor(file, shape, LABELS, sha256(bytes(file)), ModelFormat.ONNX));
    }

    /** The tiny classifier as an OpenVINO IR model file: a zip of its .xml and .bin. */
    static ModelSource tinyIrSource() {
        byte[] zip = zip("tiny-classifier.xml", tinyIrXml().getBytes(StandardCharsets.UTF_8),
                "tiny-classifier.bin", tinyIrWeights());
        return new BytesModelSource(zip, descriptor("tiny-classifier.ir.zip", DYNAMIC_8X8, LABELS, sha256(zip),
                ModelFormat.OPENVINO_IR));
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

    /** A zip of (name, bytes) pairs. */
    static byte[] zip(Object... entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < entries.length; i += 2) {
                zip.putNextEntry(new ZipEntry((String) entries[i]));
                zip.write((byte[]) entries[i + 1]);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The tiny classifier in IR v11: ReduceMean over C, H, W (kept), Reshape to [N, 1], MatMul by
     * W = [[-2, 2]], Add B = [0.5, -0.5], SoftMax over the labels. Written by hand, not by OpenVINO's
     * converter: the runtime tests check that OpenVINO reads it and computes the formula.
     */
    static String tinyIrXml() {
        return """
                <?xml version="1.0"?>
                <net name="tiny-classifier" version="11">
                  <layers>
                    <layer id="0" name="image" type="Parameter" version="opset1">
                      <data shape="?,1,8,8" element_type="f32"/>
                      <output><port id="0" precision="FP32" names="image">%s</port></output>
                    </layer>
                    <layer id="1" name="axes" type="Const" version="opset1">
                      <data element_type="i64" shape="3" offset="0" size="24"/>
                      <output><port id="0" precision="I64"><dim>3</dim></port></output>
                    </layer>
                    <layer id="2" name="mean4" type="ReduceMean" version="opset1">
                      <data keep_dims="true"/>
                      <input><port id="0" precision="FP32">%1$s</port><port id="1" precision="I64"><dim>3</dim></port></input>
                      <output><port id="2" precision="FP32"><dim>-1</dim><dim>1</dim><dim>1</dim><dim>1</dim></port></output>
                    </layer>
                    <layer id="3" name="mean_shape" type="Const" version="opset1">
                      <data element_type="i64" shape="2" offset="24" size="16"/>
                      <output><port id="0" precision="I64"><dim>2</dim></port></output>
                    </layer>
                    <layer id="4" name="mean" type="Reshape" version="opset1">
                      <data special_zero="false"/>
                      <input><port id="0" precision="FP32"><dim>-1</dim><dim>1</dim><dim>1</dim><dim>1</dim></port><port id="1" precision="I64"><dim>2</dim></port></input>
                      <output><port id="2" precision="FP32"><dim>-1</dim><dim>1</dim></port></output>
                    </layer>
                    <layer id="5" name="W" type="Const" version="opset1">
                      <data element_type="f32" shape="1,2" offset="40" size="8"/>
                      <output><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></output>
                    </layer>
                    <layer id="6" name="weighted" type="MatMul" version="opset1">
                      <data transpose_a="false" transpose_b="false"/>
                      <input><port id="0" precision="FP32"><dim>-1</dim><dim>1</dim></port><port id="1" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
                      <output><port id="2" precision="FP32"><dim>-1</dim><dim>2</dim></port></output>
                    </layer>
                    <layer id="7" name="B" type="Const" version="opset1">
                      <data element_type="f32" shape="1,2" offset="48" size="8"/>
                      <output><port id="0" precision="FP32"><dim>1</dim><dim>2</dim></port></output>
                    </layer>
                    <layer id="8" name="logits" type="Add" version="opset1">
                      <data auto_broadcast="numpy"/>
                      <input><port id="0" precision="FP32"><dim>-1</dim><dim>2</dim></port><port id="1" precision="FP32"><dim>1</dim><dim>2</dim></port></input>
                      <output><port id="2" precision="FP32"><dim>-1</dim><dim>2</dim></port></output>
                    </layer>
                    <layer id="9" name="probabilities" type="SoftMax" version="opset1">
                      <data axis="1"/>
                      <input><port id="0" precision="FP32"><dim>-1</dim><dim>2</dim></port></input>
                      <output><port id="1" precision="FP32" names="probabilities"><dim>-1</dim><dim>2</dim></port></output>
                    </layer>
                    <layer id="10" name="probabilities/sink_port_0" type="Result" version="opset1">
                      <input><port id="0" precision="FP32"><dim>-1</dim><dim>2</dim></port></input>
                    </layer>
                  </layers>
                  <edges>
                    <edge from-layer="0" from-port="0" to-layer="2" to-port="0"/>
                    <edge from-layer="1" from-port="0" to-layer="2" to-port="1"/>
                    <edge from-layer="2" from-port="2" to-layer="4" to-port="0"/>
                    <edge from-layer="3" from-port="0" to-layer="4" to-port="1"/>
                    <edge from-layer="4" from-port="2" to-layer="6" to-port="0"/>
                    <edge from-layer="5" from-port="0" to-layer="6" to-port="1"/>
                    <edge from-layer="6" from-port="2" to-layer="8" to-port="0"/>
                    <edge from-layer="7" from-port="0" to-layer="8" to-port="1"/>
                    <edge from-layer="8" from-port="2" to-layer="9" to-port="0"/>
                    <edge from-layer="9" from-port="1" to-layer="10" to-port="0"/>
                  </edges>
                </net>
                """.formatted("<dim>-1</dim><dim>1</dim><dim>8</dim><dim>8</dim>");
    }

    /** The IR's .bin: axes i64[3], reshape pattern i64[2], W f32[1,2], B f32[1,2], little-endian. */
    static byte[] tinyIrWeights() {
        ByteBuffer bin = ByteBuffer.allocate(56).order(ByteOrder.LITTLE_ENDIAN);
        bin.putLong(1).putLong(2).putLong(3);
        bin.putLong(-1).putLong(1);
        bin.putFloat(-2f).putFloat(2f);
        bin.putFloat(0.5f).putFloat(-0.5f);
        return bin.array();
    }

    /** Reads a test resource and checks its SHA-256 against the descriptor, as a real source must. */
    record ResourceModelSource(String resource, ModelDescriptor descriptor) implements ModelSource {
        @Override
        public byte[] readModel() throws InferenceException {
            byte[] data = bytes(resource);
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
        BytesModelSource(byte[] data, ModelFormat format) {
            this(data, TestModels.descriptor(format == ModelFormat.ONNX ? TINY : "tiny.ir.zip", DYNAMIC_8X8, LABELS,
                    sha256(data), format));
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
