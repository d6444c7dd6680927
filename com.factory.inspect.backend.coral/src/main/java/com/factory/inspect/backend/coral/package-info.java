/**
 * The TensorFlow Lite backends: {@code tflite-cpu} (XNNPACK on the CPU) and {@code edgetpu} (a Coral
 * Edge TPU through libedgetpu), registered as {@link com.factory.inspect.api.inference.InferenceBackend}
 * services. Nothing here is exported.
 */
package com.factory.inspect.backend.coral;
