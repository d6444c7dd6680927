package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelSource;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineContractTest {
    private static final ModelSource DYNAMIC = TestModels.source(TestModels.TINY, TestModels.DYNAMIC_8X8);
    private static final ModelSource FIXED = TestModels.source(TestModels.TINY_FIXED, TestModels.FIXED_8X8);
    private static final TensorSpec OUT = new TensorSpec("probabilities", "float32", List.of(-1L, 2L));

    @Test
    void aMatchingEngineGivesItsTensors() throws InferenceException {
        TensorSpec in = new TensorSpec("image", "float32", List.of(-1L, 1L, 8L, 8L));
        EngineContract c = EngineContract.check(List.of(in), List.of(OUT), DYNAMIC);
        assertEquals(in, c.input());
        assertEquals(OUT, c.output());
    }

    @Test
    void aDynamicEngineFitsAFixedDescriptor() throws InferenceException {
        TensorSpec in = new TensorSpec("image", "float32", List.of(-1L, 1L, 8L, 8L));
        EngineContract.check(List.of(in), List.of(OUT), FIXED);
    }

    @Test
    void aFixedBatchMustBeTheDescriptors() {
        TensorSpec in = new TensorSpec("image", "float32", List.of(4L, 1L, 8L, 8L));
        assertMismatch(List.of(in), List.of(OUT), FIXED, "expected input float32 [1, 1, 8, 8]");
    }

    @Test
    void wrongImageSizeTypeOrInputCountIsAMismatch() {
        assertMismatch(List.of(new TensorSpec("image", "float32", List.of(-1L, 3L, 8L, 8L))), List.of(OUT), DYNAMIC,
                "found 'image' float32 [-1, 3, 8, 8]");
        assertMismatch(List.of(new TensorSpec("image", "float16", List.of(-1L, 1L, 8L, 8L))), List.of(OUT), DYNAMIC,
                "float16");
        TensorSpec in = new TensorSpec("image", "float32", List.of(-1L, 1L, 8L, 8L));
        assertMismatch(List.of(in, in), List.of(OUT), DYNAMIC, "found 2 inputs");
    }

    @Test
    void theOutputNeedsOneValuePerLabel() {
        TensorSpec in = new TensorSpec("image", "float32", List.of(-1L, 1L, 8L, 8L));
        assertMismatch(List.of(in), List.of(new TensorSpec("logits", "float32", List.of(-1L, 3L))), DYNAMIC,
                "[batch, 2]");
        assertMismatch(List.of(in), List.of(), DYNAMIC, "no outputs");
    }

    private static void assertMismatch(List<TensorSpec> in, List<TensorSpec> out, ModelSource model, String part) {
        InferenceException e = assertThrows(InferenceException.class, () -> EngineContract.check(in, out, model));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains(part) && e.getMessage().contains(model.descriptor().coordinates()),
                e.getMessage());
    }
}
