/**
 * The raw JNA mapping of OpenVINO's C API. Private to this bundle: other bundles use the
 * AutoCloseable wrappers of {@code com.factory.inspect.lib.openvino}.
 */
package com.factory.inspect.lib.openvino.internal;
