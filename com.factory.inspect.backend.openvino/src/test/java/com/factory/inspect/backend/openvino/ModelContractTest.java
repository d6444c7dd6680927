package com.factory.inspect.backend.openvino;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.lib.openvino.PortInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A model's inputs and outputs, as OpenVINO reports them, against its descriptor. */
class ModelContractTest {
    private static final int F32 = 5;
    private static final int I64 = 11;
    private static final ModelSource DYNAMIC = TestModels.source(TestModels.TINY);
    private static final ModelSource FIXED_1 = TestModels.source(TestModels.TINY, List.of(1, 1, 8, 8));

    @Test
    void aDynamicBatchModelFits() throws InferenceException {
        ModelContract c = ModelContract.check(List.of(port("image", F32, -1, 1, 8, 8)),
                List.of(port("probabilities", F32, -1, 2)), DYNAMIC);
        assertEquals(new TensorSpec("image", "float32", List.of(-1L, 1L, 8L, 8L)), c.inputSpec());
        assertEquals(new TensorSpec("probabilities", "float32", List.of(-1L, 2L)), c.outputSpec());
        assertEquals(-1, c.fixedBatch());
        assertEquals(64, c.inputSpec().elementsPerItem());
        assertEquals(2, c.outputSpec().elementsPerItem());
    }

    @Test
    void aFixedBatchModelFitsADescriptorWithThatBatchOrADynamicOne() throws InferenceException {
        assertEquals(1, ModelContract.check(List.of(port("image", F32, 1, 1, 8, 8)),
                List.of(port("p", F32, 1, 1, 2)), FIXED_1).fixedBatch());
        InferenceException e = assertThrows(InferenceException.class, () -> ModelContract.check(
                List.of(port("image", F32, 4, 1, 8, 8)), List.of(port("p", F32, 4, 2)), FIXED_1));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
    }

    @Test
    void theImageSizeMustBeTheDescriptors() {
        InferenceException e = assertThrows(InferenceException.class, () -> ModelContract.check(
                List.of(port("image", F32, -1, 3, 224, 224)), List.of(port("p", F32, -1, 2)), DYNAMIC));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertEquals("SHAPE_MISMATCH: model tiny-classifier:1.0.0 (test resource tiny-classifier.onnx) does not fit "
                + "its descriptor: expected input float32 [-1, 1, 8, 8] (NCHW; the model's batch may be dynamic), "
                + "found 'image' float32 [-1, 3, 224, 224]", e.getMessage());
    }

    @Test
    void theInputMustBeFloat32AndAlone() {
        InferenceException type = assertThrows(InferenceException.class, () -> ModelContract.check(
                List.of(port("image", I64, -1, 1, 8, 8)), List.of(port("p", F32, -1, 2)), DYNAMIC));
        assertTrue(type.getMessage().endsWith("found 'image' int64 [-1, 1, 8, 8]"), type.getMessage());
        InferenceException two = assertThrows(InferenceException.class, () -> ModelContract.check(
                List.of(port("a", F32, -1, 1, 8, 8), port("b", F32, -1, 1, 8, 8)), List.of(port("p", F32, -1, 2)),
                DYNAMIC));
        assertTrue(two.getMessage().contains("found 2 inputs"), two.getMessage());
        InferenceException dynamicRank = assertThrows(InferenceException.class, () -> ModelContract.check(
                List.of(new PortInfo("image", F32, List.of(), true)), List.of(port("p", F32, -1, 2)), DYNAMIC));
        assertTrue(dynamicRank.getMessage().endsWith("found 'image' float32 [dynamic rank]"), dynamicRank.getMessage());
    }

    @Test
    void theOutputNeedsOneValuePerLabel() {
        InferenceException e = assertThrows(InferenceException.class, () -> ModelContract.check(
                List.of(port("image", F32, -1, 1, 8, 8)), List.of(port("p", F32, -1, 3)), DYNAMIC));
        assertEquals(ErrorCode.SHAPE_MISMATCH, e.code());
        assertTrue(e.getMessage().contains("expected output float32 [batch, 2] (one value per label [good, defect])"),
                e.getMessage());
        assertThrows(InferenceException.class, () -> ModelContract.check(List.of(port("image", F32, -1, 1, 8, 8)),
                List.of(port("p", F32, -1, 2, 2)), DYNAMIC));
        assertThrows(InferenceException.class, () -> ModelContract.check(List.of(port("image", F32, -1, 1, 8, 8)),
                List.of(), DYNAMIC));
    }

    private static PortInfo port(String name, int type, long... dims) {
        return new PortInfo(name, type, java.util.Arrays.stream(dims).boxed().toList(), false);
    }
}
