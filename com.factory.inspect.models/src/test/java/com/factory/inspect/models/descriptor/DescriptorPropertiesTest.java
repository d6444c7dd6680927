package com.factory.inspect.models.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescriptorPropertiesTest {
    private static final String SURFACE = String.join("\n",
            "name=surface-demo", "version=1.0.0", "format=onnx", "file=model/surface-demo.onnx",
            "sha256=" + "0123456789abcdef".repeat(4), "input.shape=-1,1,224,224", "input.layout=NCHW",
            "preprocess.colour=mono", "preprocess.resize=BILINEAR", "preprocess.scale=0.00392156862745098",
            "preprocess.mean=0.5", "preprocess.std=0.25", "output.labels=good,defect", "output.defect.index=1",
            "decision.threshold=0.08", "");

    private static ModelDescriptor read(String text) throws DescriptorException {
        return DescriptorProperties.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @Test
    void readsEveryField() throws DescriptorException {
        ModelDescriptor d = read(SURFACE);
        assertEquals("surface-demo:1.0.0", d.coordinates());
        assertEquals(224, d.inputWidth());
        assertEquals(ColourOrder.MONO, d.preprocessing().colour());
        assertEquals(List.of(0.5), d.preprocessing().mean());
        assertEquals(List.of("good", "defect"), d.outputLabels());
        assertEquals(0.08, d.threshold());
    }

    @Test
    void writesWhatItReads() throws DescriptorException {
        ModelDescriptor d = read(SURFACE);
        String written = DescriptorProperties.write(d);
        assertEquals(d, read(written));
        // Sorted keys: a stable file to diff and checksum.
        String[] keys = written.lines().map(l -> l.substring(0, l.indexOf('='))).toArray(String[]::new);
        String[] sorted = keys.clone();
        java.util.Arrays.sort(sorted);
        assertArrayEquals(sorted, keys);
    }

    @Test
    void oneMeanValueServesEveryChannel() throws DescriptorException {
        ModelDescriptor d = read(SURFACE.replace("-1,1,224", "-1,3,224").replace("colour=mono", "colour=RGB"));
        assertEquals(List.of(0.5, 0.5, 0.5), d.preprocessing().mean());
    }

    @Test
    void namesTheProblem() {
        DescriptorException missing = assertThrows(DescriptorException.class,
                () -> read(SURFACE.replace("sha256=", "sha=")));
        assertTrue(missing.getMessage().contains("lacks 'sha256'"), missing.getMessage());
        DescriptorException badEnum = assertThrows(DescriptorException.class,
                () -> read(SURFACE.replace("BILINEAR", "bicubic")));
        assertTrue(badEnum.getMessage().contains("NEAREST"), badEnum.getMessage());
        DescriptorException badShape = assertThrows(DescriptorException.class,
                () -> read(SURFACE.replace("-1,1,224,224", "-1,1,x,224")));
        assertTrue(badShape.getMessage().contains("'x'"), badShape.getMessage());
        DescriptorException inconsistent = assertThrows(DescriptorException.class,
                () -> read(SURFACE.replace("index=1", "index=5")));
        assertTrue(inconsistent.getMessage().contains("defect index 5"), inconsistent.getMessage());
    }
}
