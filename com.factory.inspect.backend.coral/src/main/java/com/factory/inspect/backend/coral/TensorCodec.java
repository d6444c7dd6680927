package com.factory.inspect.backend.coral;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorQuantizationParams;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTensorType;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTypeGetName;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt8;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteUInt8;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Locale;
import org.bytedeco.tensorflowlite.TfLiteQuantizationParams;
import org.bytedeco.tensorflowlite.TfLiteTensor;

/**
 * How a model input or output holds its values, and the conversion from and to the floats of
 * {@code LoadedModel.infer}: float32 as they are; uint8 and int8 (fully quantised models, as every
 * Edge TPU model is) through their affine quantisation {@code real = scale * (q - zeroPoint)}.
 *
 * @param elementType TensorFlow Lite's type name in lower case: {@code float32}, {@code uint8}, ...
 * @param scale quantisation scale; 0 for float32
 * @param zeroPoint quantisation zero point; 0 for float32
 */
record TensorCodec(String elementType, float scale, int zeroPoint) {
    static final String FLOAT32 = "float32";
    static final String UINT8 = "uint8";
    static final String INT8 = "int8";

    /** The codec of a tensor of an interpreter. */
    static TensorCodec of(TfLiteTensor tensor) {
        int type = TfLiteTensorType(tensor);
        String name = TfLiteTypeGetName(type).getString().toLowerCase(Locale.ROOT);
        if (type == kTfLiteFloat32) {
            return new TensorCodec(FLOAT32, 0, 0);
        }
        if (type != kTfLiteUInt8 && type != kTfLiteInt8) {
            return new TensorCodec(name, 0, 0);
        }
        TfLiteQuantizationParams q = TfLiteTensorQuantizationParams(tensor);
        try {
            return new TensorCodec(name, q.scale(), q.zero_point());
        } finally {
            q.deallocate(); // a copy JavaCPP allocated for the returned struct
        }
    }

    /** Whether values can be converted: float32, or 8-bit with a usable quantisation. */
    boolean supported() {
        return FLOAT32.equals(elementType)
                || ((UINT8.equals(elementType) || INT8.equals(elementType)) && scale > 0 && Float.isFinite(scale));
    }

    /** How the type reads in messages, e.g. {@code uint8 (scale 0.0039, zero point 0)}. */
    String describe() {
        return scale == 0 ? elementType : elementType + " (scale " + scale + ", zero point " + zeroPoint + ")";
    }

    /** Bytes per value. */
    int bytes() {
        return FLOAT32.equals(elementType) ? Float.BYTES : 1;
    }

    /**
     * Writes {@code count} floats from {@code src}'s position on into a tensor's memory, leaving
     * {@code src}'s position alone.
     */
    void encode(FloatBuffer src, int count, ByteBuffer tensor) {
        int from = src.position();
        if (FLOAT32.equals(elementType)) {
            tensor.asFloatBuffer().put(src.slice(from, count)); // a bulk copy, converting byte order if needed
            return;
        }
        int min = UINT8.equals(elementType) ? 0 : Byte.MIN_VALUE;
        int max = UINT8.equals(elementType) ? 0xff : Byte.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            int q = Math.round(src.get(from + i) / scale) + zeroPoint;
            tensor.put(i, (byte) Math.max(min, Math.min(max, q)));
        }
    }

    /** Reads {@code count} values of a tensor's memory into {@code dst}, advancing its position. */
    void decode(ByteBuffer tensor, int count, FloatBuffer dst) {
        if (FLOAT32.equals(elementType)) {
            dst.put(tensor.asFloatBuffer().limit(count));
            return;
        }
        boolean unsigned = UINT8.equals(elementType);
        for (int i = 0; i < count; i++) {
            byte q = tensor.get(i);
            dst.put(scale * ((unsigned ? Byte.toUnsignedInt(q) : q) - zeroPoint));
        }
    }
}
