package com.factory.inspect.models.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;

class ModelJarTest {
    private static final byte[] MODEL = "not really onnx, but bytes with a checksum".getBytes(StandardCharsets.UTF_8);

    private static ModelDescriptor descriptor(String sha) {
        return new ModelDescriptor("bolt-heads", "2.1.0", ModelFormat.ONNX, "model/bolt-heads.onnx",
                List.of(-1, 3, 160, 160), TensorLayout.NCHW, new Preprocessing(ColourOrder.RGB, ResizeMethod.BILINEAR,
                        1 / 255.0, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225)),
                List.of("ok", "burr", "crack"), 2, 0.3, sha);
    }

    @Test
    void writesABundleThatReadsBackAsTheSameModel() throws Exception {
        ModelDescriptor d = descriptor(Sha256.hex(MODEL));
        byte[] jar = ModelJar.toBytes(d, MODEL, "com.acme.model.bolt");
        List<ModelSource> models = ModelJar.read(jar, "bolt.jar");
        assertEquals(1, models.size());
        assertEquals(d, models.get(0).descriptor());
        assertArrayEquals(MODEL, models.get(0).readModel());
        assertTrue(models.get(0).origin().contains("com.acme.model.bolt 2.1.0"), models.get(0).origin());
        // Reproducible: same inputs, same bytes.
        assertArrayEquals(jar, ModelJar.toBytes(d, MODEL, "com.acme.model.bolt"));
    }

    @Test
    void refusesToPackageAFileThatIsNotTheDescribedOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelJar.toBytes(descriptor("0".repeat(64)), MODEL, "x"));
        assertTrue(e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void aWrongChecksumIsFoundWhenTheModelIsRead() throws Exception {
        // A descriptor whose checksum does not match the file (tampered or corrupt after packaging).
        ModelDescriptor d = descriptor(Sha256.hex(MODEL));
        byte[] jar = ModelJar.toBytes(d, MODEL, "b");
        byte[] tampered = replaceEntry(jar, d.file(), "NOT REALLY ONNX".getBytes(StandardCharsets.UTF_8));
        ModelSource source = ModelJar.read(tampered, "tampered.jar").get(0);
        InferenceException e = assertThrows(InferenceException.class, source::readModel);
        assertEquals(ErrorCode.CHECKSUM_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("tampered.jar"), e.getMessage());
    }

    /** The jar with one entry's content replaced, everything else as it was. */
    static byte[] replaceEntry(byte[] jar, String name, byte[] content) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(new java.io.ByteArrayInputStream(jar));
                JarOutputStream rewritten = new JarOutputStream(out, in.getManifest())) {
            for (java.util.jar.JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                byte[] bytes = e.getName().equals(name) ? content : in.readAllBytes();
                rewritten.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                rewritten.write(bytes);
                rewritten.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void aJarWithoutModelsIsNotAModelBundle() throws Exception {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Bundle-SymbolicName", "com.acme.driver");
        m.getMainAttributes().putValue("Bundle-Version", "1.0.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JarOutputStream(out, m).close();
        DescriptorException e = assertThrows(DescriptorException.class, () -> ModelJar.read(out.toByteArray(),
                "driver.jar"));
        assertTrue(e.getMessage().contains("driver.jar (com.acme.driver 1.0.0) is not a model bundle"), e.getMessage());
        DescriptorException garbage = assertThrows(DescriptorException.class,
                () -> ModelJar.read("hello".getBytes(StandardCharsets.UTF_8), "hello.txt"));
        assertTrue(garbage.getMessage().startsWith("hello.txt is not"), garbage.getMessage());
    }

    @Test
    void parsesQuotedAndTypedCapabilityAttributes() {
        List<CapabilityHeader.Capability> caps = CapabilityHeader.parse(
                "osgi.service;objectClass:List<String>=\"a,b\", factory.inspect.model;factory.inspect.model=\"x;y\";"
                        + "version:Version=1.2.0;descriptor=m/x.properties;effective:=active");
        assertEquals(2, caps.size());
        assertEquals("a,b", caps.get(0).attributes().get("objectClass"));
        assertEquals("x;y", caps.get(1).attributes().get("factory.inspect.model"));
        assertEquals("1.2.0", caps.get(1).attributes().get("version"));
        assertEquals(false, caps.get(1).attributes().containsKey("effective"));
    }
}
