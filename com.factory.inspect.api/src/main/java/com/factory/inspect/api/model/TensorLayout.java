package com.factory.inspect.api.model;

/** Memory layout of an image tensor. */
public enum TensorLayout {
    /** Batch, channels, height, width (ONNX / PyTorch). */
    NCHW,
    /** Batch, height, width, channels (TensorFlow Lite). */
    NHWC
}
