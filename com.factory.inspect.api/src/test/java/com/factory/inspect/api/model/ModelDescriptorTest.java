package com.factory.inspect.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelDescriptorTest {
    private static final String SHA = "a".repeat(64);
    private static final Preprocessing MONO = new Preprocessing(ColourOrder.MONO, ResizeMethod.BILINEAR,
            1.0 / 255, List.of(0.5), List.of(0.25));

    private static ModelDescriptor descriptor(List<Integer> shape, TensorLayout layout, Preprocessing pre,
            int defectIndex, double threshold) {
        return new ModelDescriptor("surface", "1.0.0", ModelFormat.ONNX, "model/surface.onnx", shape, layout, pre,
                List.of("good", "defect"), defectIndex, threshold, SHA);
    }

    @Test
    void derivesImageGeometryFromLayout() {
        ModelDescriptor nchw = descriptor(List.of(1, 1, 120, 160), TensorLayout.NCHW, MONO, 1, 0.5);
        assertEquals(160, nchw.inputWidth());
        assertEquals(120, nchw.inputHeight());
        assertEquals(19200, nchw.inputElementsPerImage());

        Preprocessing rgb = new Preprocessing(ColourOrder.RGB, ResizeMethod.NEAREST, 1, List.of(0.0, 0.0, 0.0),
                List.of(1.0, 1.0, 1.0));
        ModelDescriptor nhwc = descriptor(List.of(-1, 120, 160, 3), TensorLayout.NHWC, rgb, 1, 0.5);
        assertEquals(160, nhwc.inputWidth());
        assertEquals(120, nhwc.inputHeight());
        assertEquals(3, nhwc.inputChannels());
        assertEquals("surface:1.0.0", nhwc.coordinates());
    }

    @Test
    void copiesCallerLists() {
        List<Integer> shape = new ArrayList<>(List.of(1, 1, 8, 8));
        ModelDescriptor d = descriptor(shape, TensorLayout.NCHW, MONO, 1, 0.5);
        shape.set(2, 99);
        assertEquals(8, d.inputHeight());
    }

    @Test
    void rejectsInconsistentDescriptorsWithAClearMessage() {
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> descriptor(List.of(1, 3, 8, 8), TensorLayout.NCHW, MONO, 1, 0.5));
        assertTrue(channels.getMessage().contains("3 channels"), channels.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> descriptor(List.of(1, 1, 8, 8), TensorLayout.NCHW, MONO, 2, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> descriptor(List.of(1, 1, 8, 8), TensorLayout.NCHW, MONO, 1, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> descriptor(List.of(1, 1, 8), TensorLayout.NCHW, MONO, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new ModelDescriptor("m", "one", ModelFormat.ONNX, "f",
                List.of(1, 1, 8, 8), TensorLayout.NCHW, MONO, List.of("good", "defect"), 1, 0.5, SHA));
        assertThrows(IllegalArgumentException.class, () -> new ModelDescriptor("m", "1.0.0", ModelFormat.ONNX, "f",
                List.of(1, 1, 8, 8), TensorLayout.NCHW, MONO, List.of("good", "defect"), 1, 0.5, "abc"));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(ColourOrder.RGB,
                ResizeMethod.NEAREST, 1, List.of(0.0), List.of(1.0)));
        assertThrows(IllegalArgumentException.class, () -> new Preprocessing(ColourOrder.MONO,
                ResizeMethod.NEAREST, 1, List.of(0.0), List.of(0.0)));
        assertThrows(IllegalArgumentException.class, () -> ModelFormat.of("ON NX"));
        assertEquals(ModelFormat.ONNX, ModelFormat.of(" ONNX "));
    }

    @Test
    void comparesVersionsWithMissingPartsAsZero() {
        assertTrue(ModelDescriptor.sameVersion("1.0", "1.0.0"));
        assertTrue(ModelDescriptor.sameVersion("2", "2.0.0"));
        assertTrue(ModelDescriptor.sameVersion("1.2.3.rc1", "1.2.3.rc1"));
        assertTrue(!ModelDescriptor.sameVersion("1.2.3.rc1", "1.2.3"));
        assertTrue(!ModelDescriptor.sameVersion("1.0.1", "1.0.0"));
        assertTrue(!ModelDescriptor.sameVersion("latest", "latest"));
    }
}
