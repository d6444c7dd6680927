/**
 * OpenVINO through its C API: {@link com.factory.inspect.lib.openvino.OpenVinoRuntime} finds and
 * loads {@code libopenvino_c.so} once per JVM; {@link com.factory.inspect.lib.openvino.OpenVino}
 * reads and compiles models; every native handle is an AutoCloseable with exactly one owner.
 * Failures of OpenVINO calls are {@link com.factory.inspect.lib.openvino.OpenVinoException}s
 * carrying OpenVINO's status code and error text.
 */
@Export
@Version("1.0.0")
package com.factory.inspect.lib.openvino;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
