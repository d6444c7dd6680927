/**
 * The inference SPI: a backend (ONNX Runtime, TensorRT, OpenVINO, TensorFlow Lite, ...) loads a model
 * into a {@link com.factory.inspect.api.inference.LoadedModel} that runs it.
 */
@Export
@Version("1.1.0")
package com.factory.inspect.api.inference;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
