package com.factory.inspect.backend.openvino;

/** OpenVINO's high-level performance hint ({@code PERFORMANCE_HINT}) for compiled models. */
public enum PerformanceHint {
    /** Lowest latency per inference: few streams; right for one frame at a time per camera. */
    LATENCY,
    /** Most inferences per second: several streams; for many cameras sharing one device. */
    THROUGHPUT,
    /** Pass no hint: the device plugin's own default. */
    DEVICE_DEFAULT
}
