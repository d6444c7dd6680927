package com.factory.inspect.backend.coral;

/**
 * The Edge TPU backend's configuration, checked and immutable; invalid values fall back to their
 * default with a warning.
 *
 * @param rank preference among backends (higher wins)
 * @param library libedgetpu: a file name searched like the dynamic linker does, or a path
 * @param device which Edge TPU: {@code ""} any, {@code usb}, {@code pci}, {@code :N}, {@code usb:N}
 *        or {@code pci:N} (N in libedgetpu's enumeration order)
 */
record EdgeTpuOptions(int rank, String library, String device) {
    static final String ID = EdgeTpuBackend.ID;
    /** Above the CPU backends (onnxruntime-cpu 10, tflite-cpu 5): a model compiled for the TPU belongs there. */
    static final int DEFAULT_RANK = 30;
    static final String DEFAULT_LIBRARY = "libedgetpu.so.1";
    static final String DEFAULT_DEVICE = "";
    static final EdgeTpuOptions DEFAULTS = new EdgeTpuOptions(DEFAULT_RANK, DEFAULT_LIBRARY, DEFAULT_DEVICE);

    EdgeTpuOptions {
        library = library.strip();
        device = device.strip();
        if (library.isEmpty()) {
            throw new IllegalArgumentException("the Edge TPU library must be named");
        }
        if (!device.matches("|usb|pci|(usb|pci)?:\\d+")) {
            throw new IllegalArgumentException("Edge TPU device '" + device
                    + "' is not one of '', usb, pci, :N, usb:N, pci:N");
        }
    }

    /** Reads a configuration, replacing each value that cannot be used by its default. */
    static EdgeTpuOptions from(EdgeTpuBackend.Config config) {
        int rank = ConfigValues.read(ID, "rank", config::rank, DEFAULT_RANK);
        String library = ConfigValues.read(ID, "library", () -> new EdgeTpuOptions(rank, config.library(),
                DEFAULT_DEVICE).library(), DEFAULT_LIBRARY);
        String device = ConfigValues.read(ID, "device", () -> new EdgeTpuOptions(rank, DEFAULT_LIBRARY,
                config.device()).device(), DEFAULT_DEVICE);
        return new EdgeTpuOptions(rank, library, device);
    }

    /** Which kind of device the setting asks for: {@code usb}, {@code pci} or {@code ""} for any. */
    String deviceType() {
        return device.startsWith("usb") ? "usb" : device.startsWith("pci") ? "pci" : "";
    }
}
