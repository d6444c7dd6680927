package com.factory.inspect.backend.openvino;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** OpenVINO device names this backend accepts, and whether one is present. */
final class Devices {
    /** What a configuration may name, for messages. */
    static final String ACCEPTED = "CPU, GPU, GPU.<n>, NPU, AUTO";

    private static final Pattern NAME = Pattern.compile("CPU|GPU(\\.\\d+)?|NPU|AUTO");

    private Devices() {
    }

    /**
     * The device name in OpenVINO's spelling (upper case, trimmed).
     *
     * @throws IllegalArgumentException naming the value and what is accepted
     */
    static String parse(String configured) {
        String device = configured == null ? "" : configured.trim().toUpperCase(Locale.ROOT);
        if (!NAME.matcher(device).matches()) {
            throw new IllegalArgumentException("device '" + configured + "' is not one of " + ACCEPTED);
        }
        return device;
    }

    /**
     * Whether {@code device} can be used given OpenVINO's available devices: {@code GPU} matches
     * {@code GPU} and {@code GPU.0}, {@code GPU.1}, ... (OpenVINO numbers them when there are
     * several); {@code GPU.0} also matches a lone {@code GPU}; {@code AUTO} (a virtual device that
     * picks among the others) needs any device.
     */
    static boolean present(String device, List<String> available) {
        if (device.equals("AUTO")) {
            return !available.isEmpty();
        }
        for (String a : available) {
            if (a.equals(device) || a.startsWith(device + ".") || device.equals(a + ".0")) {
                return true;
            }
        }
        return false;
    }

    /** {@code device GPU not present; available: CPU}. */
    static String notPresent(String device, List<String> available) {
        return "device " + device + " not present; available: "
                + (available.isEmpty() ? "none" : String.join(", ", available));
    }
}
