package com.factory.inspect.backend.tensorrt;

import java.util.Locale;
import java.util.Objects;

/**
 * A CUDA device as {@code cudaGetDeviceProperties} describes it.
 *
 * @param index CUDA device index
 * @param name device name, e.g. {@code Orin}
 * @param major compute capability, major part (8 for Orin)
 * @param minor compute capability, minor part (7 for Orin)
 * @param totalMemory device memory in bytes (shared with the CPU on a Jetson)
 * @param integrated whether the GPU shares the CPU's memory (Jetson) rather than having its own
 */
record GpuInfo(int index, String name, int major, int minor, long totalMemory, boolean integrated) {

    GpuInfo {
        Objects.requireNonNull(name, "name");
    }

    /** {@code sm_87}: what TensorRT's kernels are chosen for, so part of the engine cache key. */
    String architecture() {
        return "sm_" + major + minor;
    }

    /**
     * Whether half precision runs at full speed or faster: compute capability 5.3, 6.0, 6.2 and 7.0
     * on (Jetson Nano, TX2, Xavier, Orin all do); 6.1 (consumer Pascal) runs it at 1/64 rate.
     */
    boolean fastFp16() {
        return major >= 7 || (major == 5 && minor == 3) || (major == 6 && minor != 1);
    }

    /** Whether 8-bit integer arithmetic (DP4A or tensor cores) is there: compute capability 6.1 and 7.0 on. */
    boolean fastInt8() {
        return major >= 7 || (major == 6 && minor == 1);
    }

    /** {@code 0 Orin (sm_87, 7.4 GiB shared)}. */
    String describe() {
        return String.format(Locale.ROOT, "%d %s (%s, %.1f GiB%s)", index, name, architecture(),
                totalMemory / (1024.0 * 1024 * 1024), integrated ? " shared" : "");
    }
}
