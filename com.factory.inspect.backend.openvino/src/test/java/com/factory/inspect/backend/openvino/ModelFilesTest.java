package com.factory.inspect.backend.openvino;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.model.ModelFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What is handed to OpenVINO for each model file: ONNX as it is, an IR from its zip. */
class ModelFilesTest {
    private static final byte[] XML = "<?xml version=\"1.0\"?>\n<net name=\"m\" version=\"11\"/>"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] BIN = {1, 2, 3, 4, 5};

    @Test
    void onnxIsPassedAsItIs() throws InferenceException {
        byte[] onnx = TestModels.bytes(TestModels.TINY);
        ModelFiles files = ModelFiles.of(ModelFormat.ONNX, onnx, "model m");
        assertSame(onnx, files.model());
        assertNull(files.weights());
        assertEquals("ONNX (374 bytes)", files.description());
    }

    @Test
    void anIrZipGivesItsXmlAndBin() throws InferenceException {
        byte[] zip = TestModels.zip("README.txt", "notes".getBytes(StandardCharsets.UTF_8), "ir/m.xml", XML,
                "ir/m.bin", BIN);
        ModelFiles files = ModelFiles.of(ModelFormat.OPENVINO_IR, zip, "model m");
        assertArrayEquals(XML, files.model());
        assertArrayEquals(BIN, files.weights());
        assertEquals("IR ir/m.xml (" + XML.length + " bytes) + ir/m.bin (5 bytes)", files.description());
    }

    @Test
    void theHandWrittenTestIrIsReadFromItsZip() throws InferenceException {
        ModelFiles files = ModelFiles.of(ModelFormat.OPENVINO_IR, TestModels.tinyIrSource().readModel(), "m");
        assertEquals(56, files.weights().length);
        assertTrue(new String(files.model(), StandardCharsets.UTF_8).contains("type=\"ReduceMean\""));
    }

    @Test
    void anIrZipWithoutWeightsIsAnIrWithoutConstants() throws InferenceException {
        ModelFiles files = ModelFiles.of(ModelFormat.OPENVINO_IR, TestModels.zip("m.xml", XML), "model m");
        assertArrayEquals(XML, files.model());
        assertNull(files.weights());
    }

    @Test
    void aBareXmlIsTakenWithoutWeights() throws InferenceException {
        byte[] bom = new byte[XML.length + 4];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        bom[3] = '\n';
        System.arraycopy(XML, 0, bom, 4, XML.length);
        ModelFiles files = ModelFiles.of(ModelFormat.OPENVINO_IR, bom, "model m");
        assertSame(bom, files.model());
        assertNull(files.weights());
    }

    @Test
    void aZipWithoutXmlIsInvalid() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> ModelFiles.of(ModelFormat.OPENVINO_IR, TestModels.zip("m.bin", BIN), "model m"));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertEquals("MODEL_INVALID: model m (OpenVINO IR) is a zip without an IR .xml (only m.bin); an IR model "
                + "file is a zip holding the .xml and its .bin", e.getMessage());
    }

    @Test
    void aZipWithTwoModelsIsAmbiguous() {
        InferenceException e = assertThrows(InferenceException.class, () -> ModelFiles.of(ModelFormat.OPENVINO_IR,
                TestModels.zip("a.xml", XML, "a.bin", BIN, "b.XML", XML), "model m"));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("more than one IR .xml (a.xml, b.XML)"), e.getMessage());
    }

    @Test
    void somethingElseIsNotAnIr() {
        InferenceException e = assertThrows(InferenceException.class, () -> ModelFiles.of(ModelFormat.OPENVINO_IR,
                TestModels.bytes(TestModels.TINY), "model m"));
        assertEquals(ErrorCode.MODEL_INVALID, e.code());
        assertTrue(e.getMessage().contains("neither a zip holding the IR's .xml and .bin nor an IR .xml"),
                e.getMessage());
        InferenceException truncated = assertThrows(InferenceException.class, () -> ModelFiles.of(
                ModelFormat.OPENVINO_IR, new byte[] {'P', 'K', 3, 4, 0, 0}, "model m"));
        assertEquals(ErrorCode.MODEL_INVALID, truncated.code());
    }

    @Test
    void otherFormatsAreNotTaken() {
        InferenceException e = assertThrows(InferenceException.class,
                () -> ModelFiles.of(ModelFormat.TFLITE, new byte[1], "model m"));
        assertEquals(ErrorCode.UNSUPPORTED_FORMAT, e.code());
    }

    @Test
    void sizesReadWell() {
        assertEquals("374 bytes", ModelFiles.size(374));
        assertEquals("98 KiB", ModelFiles.size(100_000));
        assertEquals("95 MiB", ModelFiles.size(100_000_000));
    }
}
