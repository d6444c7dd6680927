package com.factory.inspect.backend.tensorrt;

/**
 * The arithmetic TensorRT may use when it builds an engine; part of the engine cache key, since it
 * changes the engine.
 */
enum Precision {
    /** 32-bit floats only. */
    FP32(false, false),
    /** TensorRT may run layers in half precision where that is faster. */
    FP16(true, false),
    /** The model's QuantizeLinear/DequantizeLinear pairs run in INT8; everything else in FP32. */
    INT8(false, true),
    /** The model's Q/DQ pairs run in INT8; everything else may use half precision. */
    INT8_FP16(true, true);

    private final boolean fp16;
    private final boolean int8;

    Precision(boolean fp16, boolean int8) {
        this.fp16 = fp16;
        this.int8 = int8;
    }

    /** Whether the builder gets {@code BuilderFlag.kFP16}. */
    boolean fp16() {
        return fp16;
    }

    /** Whether the builder gets {@code BuilderFlag.kINT8}. */
    boolean int8() {
        return int8;
    }

    /**
     * What an engine for a model is built with.
     *
     * @param policy the configured policy
     * @param qdq whether the model carries QuantizeLinear/DequantizeLinear nodes (explicit quantization:
     *        INT8 is the model's own choice, so even {@code FP32} keeps it where the GPU has INT8)
     * @param gpu the device the engine is for
     */
    static Precision resolve(TensorRtBackend.PrecisionPolicy policy, boolean qdq, GpuInfo gpu) {
        boolean half = policy == TensorRtBackend.PrecisionPolicy.AUTO && gpu.fastFp16();
        if (qdq && gpu.fastInt8()) {
            return half ? INT8_FP16 : INT8;
        }
        return half ? FP16 : FP32;
    }
}
