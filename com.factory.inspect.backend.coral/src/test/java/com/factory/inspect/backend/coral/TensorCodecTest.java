package com.factory.inspect.backend.coral;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** Conversions between the API's floats and a tensor's memory. */
class TensorCodecTest {
    @Test
    void quantisesToUint8RoundingAndClamping() {
        TensorCodec codec = new TensorCodec("uint8", 0.5f, 10);
        FloatBuffer src = FloatBuffer.wrap(new float[] {9, 0, -5, -6, 0.74f, 0.76f, 200});
        src.position(1);
        ByteBuffer tensor = ByteBuffer.allocate(6);
        codec.encode(src, 6, tensor);
        assertEquals(1, src.position(), "the caller's position stays");
        assertArrayEquals(new byte[] {10, 0, 0, 11, 12, (byte) 255}, tensor.array());
        FloatBuffer back = FloatBuffer.allocate(6);
        codec.decode(tensor, 6, back);
        assertArrayEquals(new float[] {0, -5, -5, 0.5f, 1, 122.5f}, back.array());
    }

    @Test
    void quantisesToInt8() {
        TensorCodec codec = new TensorCodec("int8", 0.25f, -3);
        ByteBuffer tensor = ByteBuffer.allocate(3);
        codec.encode(FloatBuffer.wrap(new float[] {0, -40, 25}), 3, tensor);
        assertArrayEquals(new byte[] {-3, -128, 97}, tensor.array());
        FloatBuffer back = FloatBuffer.allocate(3);
        codec.decode(tensor, 3, back);
        assertArrayEquals(new float[] {0, -31.25f, 25}, back.array());
    }

    @Test
    void copiesFloatsInTheTensorsByteOrder() {
        TensorCodec codec = new TensorCodec("float32", 0, 0);
        ByteBuffer tensor = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        FloatBuffer bigEndian = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().put(1.5f).put(-2)
                .flip();
        codec.encode(bigEndian, 2, tensor);
        assertEquals(1.5f, tensor.getFloat(0));
        assertEquals(-2f, tensor.getFloat(4));
        FloatBuffer out = FloatBuffer.allocate(3).position(1);
        codec.decode(tensor, 2, out);
        assertEquals(3, out.position(), "the output position advances");
        assertArrayEquals(new float[] {0, 1.5f, -2}, out.array());
    }

    @Test
    void supportsFloatAndQuantisedEightBitOnly() {
        assertTrue(new TensorCodec("float32", 0, 0).supported());
        assertTrue(new TensorCodec("uint8", 0.1f, 0).supported());
        assertFalse(new TensorCodec("uint8", 0, 0).supported(), "no quantisation to undo");
        assertFalse(new TensorCodec("int32", 0, 0).supported());
        assertEquals("int8 (scale 0.5, zero point -1)", new TensorCodec("int8", 0.5f, -1).describe());
    }
}
