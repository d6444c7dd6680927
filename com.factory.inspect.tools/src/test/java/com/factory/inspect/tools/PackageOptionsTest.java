package com.factory.inspect.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.TensorLayout;
import com.factory.inspect.models.descriptor.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageOptionsTest {
    @TempDir
    Path dir;
    private Path onnx;

    @BeforeEach
    void model() throws Exception {
        onnx = Files.writeString(dir.resolve("bolt.onnx"), "model bytes");
    }

    private List<String> args(String... extra) {
        List<String> a = new ArrayList<>(List.of("--onnx", onnx.toString(), "--name", "bolt-heads", "--version",
                "2.1.0"));
        a.addAll(Arrays.asList(extra));
        return a;
    }

    private String error(String... extra) {
        return assertThrows(IllegalArgumentException.class, () -> PackageOptions.parse(args(extra))).getMessage();
    }

    @Test
    void buildsTheDescriptorFromTheOptions() throws Exception {
        PackageOptions o = PackageOptions.parse(args("--labels", "ok,burr,defect", "--threshold", "0.3",
                "--input", "160x120", "--colour", "RGB", "--layout", "nhwc", "--scale", "1/255", "--mean",
                "0.485,0.456,0.406", "--std", "0.229,0.224,0.225", "--out", dir.resolve("b.jar").toString()));
        ModelDescriptor d = o.descriptor();
        assertEquals("bolt-heads:2.1.0", d.coordinates());
        assertEquals(2, d.defectIndex(), "the label named defect");
        assertEquals(List.of(-1, 120, 160, 3), d.inputShape());
        assertEquals(TensorLayout.NHWC, d.inputLayout());
        assertEquals(ColourOrder.RGB, d.preprocessing().colour());
        assertEquals(1 / 255.0, d.preprocessing().scale(), 1e-12);
        assertEquals(0.3, d.threshold());
        assertEquals(Sha256.hex(Files.readAllBytes(onnx)), d.sha256());
        assertEquals("model/bolt-heads.onnx", d.file());
        assertEquals("com.factory.inspect.model.bolt-heads", o.symbolicName());
        assertTrue(o.verify());
    }

    @Test
    void defaultsSuitAnImageNetStyleClassifier() throws Exception {
        ModelDescriptor d = PackageOptions.parse(args()).descriptor();
        assertEquals(List.of(-1, 3, 224, 224), d.inputShape());
        assertEquals(List.of("good", "defect"), d.outputLabels());
        assertEquals(1, d.defectIndex());
        assertEquals(0.5, d.threshold());
        assertEquals(Path.of("bolt-heads-2.1.0.jar"), PackageOptions.parse(args()).out());
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("--onnx is required", assertThrows(IllegalArgumentException.class,
                () -> PackageOptions.parse(List.of("--name", "x", "--version", "1.0.0"))).getMessage());
        assertTrue(error("--colour", "cmyk").contains("--colour 'cmyk': one of [mono, rgb, bgr]"));
        assertTrue(error("--input", "224").contains("WIDTHxHEIGHT"));
        assertTrue(error("--input", "0x10").contains("input width '0'"));
        assertTrue(error("--mean", "0.1,0.2").contains("--mean needs 1 or 3 values, got 2"));
        assertTrue(error("--scale", "a/b").contains("'a/b' is not a number"));
        assertTrue(error("--frobnicate", "1").contains("unknown option --frobnicate"));
        assertTrue(error("--threshold", "2").contains("invalid model description: decision threshold"));
        assertTrue(error("--defect-index", "5").contains("defect index 5"));
        assertTrue(error("--version").contains("--version needs a value"));
        String missing = assertThrows(IllegalArgumentException.class, () -> PackageOptions.parse(List.of("--onnx",
                dir.resolve("nope.onnx").toString(), "--name", "x", "--version", "1"))).getMessage();
        assertTrue(missing.contains("nope.onnx") && missing.contains("no such file"), missing);
        String name = assertThrows(IllegalArgumentException.class, () -> PackageOptions.parse(List.of("--onnx",
                onnx.toString(), "--name", "Bolt Heads", "--version", "1"))).getMessage();
        assertTrue(name.contains("--name 'Bolt Heads'"), name);
    }
}
