package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** QDQ detection on real ONNX files written by the onnx Python package. */
class OnnxGraphTest {

    @Test
    void aFloatModelHasItsOperatorsAndNoQuantization() {
        OnnxGraph graph = OnnxGraph.read(TestModels.bytes(TestModels.TINY));
        assertEquals(Set.of("ReduceMean", "Reshape", "Gemm", "Softmax"), graph.operators());
        assertFalse(graph.quantized());
    }

    @Test
    void quantizeAndDequantizeNodesMakeAModelQuantized() {
        OnnxGraph graph = OnnxGraph.read(TestModels.bytes(TestModels.QDQ));
        assertTrue(graph.operators().containsAll(Set.of("QuantizeLinear", "DequantizeLinear", "ReduceMean")),
                graph.operators().toString());
        assertTrue(graph.quantized());
    }

    @Test
    void nodesInsideSubgraphsCount() {
        OnnxGraph graph = OnnxGraph.read(TestModels.bytes(TestModels.QDQ_IN_SUBGRAPH));
        assertEquals(Set.of("If", "Constant", "QuantizeLinear", "DequantizeLinear", "Identity"), graph.operators());
        assertTrue(graph.quantized());
    }

    @Test
    void aTruncatedModelIsNotReadable() {
        byte[] model = TestModels.bytes(TestModels.QDQ);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxGraph.read(Arrays.copyOf(model, model.length / 2)));
        assertTrue(e.getMessage().startsWith("not a readable ONNX model: "), e.getMessage());
    }

    @Test
    void bytesWithoutAGraphAreNotAModel() {
        // field 1 (ir_version) = 8, nothing else
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxGraph.read(new byte[] {0x08, 0x08}));
        assertEquals("not an ONNX model: no graph in its 2 bytes", e.getMessage());
    }

    @Test
    void textIsNotAModel() {
        assertThrows(IllegalArgumentException.class, () -> OnnxGraph.read("not a model at all".getBytes()));
    }
}
