package com.factory.inspect.lib.openvino;

import com.factory.inspect.lib.openvino.internal.OpenVinoC;
import com.factory.inspect.lib.openvino.internal.Structs;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * OpenVINO loaded in this JVM: the C library and one OpenVINO Core ({@code ov_core_t}). Obtained from
 * {@link OpenVinoRuntime#probe}; thread-safe, like {@code ov::Core}.
 *
 * <p>The Core lives as long as the library, i.e. the JVM: it belongs to this object, which
 * {@link OpenVinoRuntime} keeps for good, so nothing frees it. Models and compiled models read and
 * compiled here are owned by their callers.
 */
public final class OpenVino {
    /** The device property holding its marketing name, e.g. {@code Intel(R) Core(TM) i5-1145G7}. */
    public static final String FULL_DEVICE_NAME = "FULL_DEVICE_NAME";

    private final OpenVinoC c;
    private final String loadedFrom;
    private final String version;
    private final Pointer core;
    private final List<String> devices;
    private volatile boolean hasLastErrorMessage = true;

    private OpenVino(OpenVinoC c, String loadedFrom, String version) throws OpenVinoException {
        this.c = c;
        this.loadedFrom = loadedFrom;
        this.version = version;
        PointerByReference ref = new PointerByReference();
        check(c.ov_core_create(ref), "ov_core_create");
        this.core = ref.getValue();
        this.devices = readDevices();
    }

    /** Creates the Core over a loaded library whose version was checked. */
    static OpenVino open(OpenVinoC c, String loadedFrom, String version) throws OpenVinoException {
        return new OpenVino(c, loadedFrom, version);
    }

    /** {@code ov_get_openvino_version}'s build number, e.g. {@code 2025.1.0-18503-6fec06580ab-releases/2025/1}. */
    static String readVersion(OpenVinoC c) {
        Structs.Version v = new Structs.Version();
        int status = c.ov_get_openvino_version(v);
        if (status != 0) {
            return "";
        }
        try {
            return v.buildNumber == null ? "" : v.buildNumber.getString(0, StandardCharsets.UTF_8.name());
        } finally {
            c.ov_version_free(v);
        }
    }

    /** OpenVINO's build number, e.g. {@code 2025.1.0-18503-6fec06580ab-releases/2025/1}. */
    public String version() {
        return version;
    }

    /** The release part of {@link #version()}, e.g. {@code 2025.1.0}. */
    public String release() {
        int dash = version.indexOf('-');
        return dash < 0 ? version : version.substring(0, dash);
    }

    /** The library file it was loaded from, or {@code system library path} when loaded by name. */
    public String loadedFrom() {
        return loadedFrom;
    }

    /**
     * The devices OpenVINO found when the Core was created, e.g. {@code [CPU, GPU.0, GPU.1, NPU]}
     * ({@code GPU} alone when there is one). Read once: plugging in a device needs a restart.
     */
    public List<String> availableDevices() {
        return devices;
    }

    /** The device's {@value #FULL_DEVICE_NAME}, empty if the plugin does not say. */
    public Optional<String> fullDeviceName(String device) {
        PointerByReference value = new PointerByReference();
        if (c.ov_core_get_property(core, device, FULL_DEVICE_NAME, value) != 0 || value.getValue() == null) {
            return Optional.empty();
        }
        return Optional.of(takeString(value.getValue()));
    }

    /**
     * Reads a model from memory: an ONNX file, or an IR's {@code .xml} with its {@code .bin} as
     * {@code weights}. The weights are copied once into native memory that the model (and any model
     * compiled from it) uses in place, so the returned model owns that memory.
     *
     * @param model the model file's bytes
     * @param weights the IR weights ({@code .bin}), or null/empty for none (ONNX, or an IR without constants)
     */
    public OvModel readModel(byte[] model, byte[] weights) throws OpenVinoException {
        if (model.length == 0) {
            throw new IllegalArgumentException("the model is empty");
        }
        Memory memory = null;
        OvTensor weightsTensor = null;
        try {
            if (weights != null && weights.length > 0) {
                memory = new Memory(weights.length);
                memory.write(0, weights, 0, weights.length);
                weightsTensor = OvTensor.over(this, OpenVinoC.I8, memory, weights.length);
            }
            PointerByReference ref = new PointerByReference();
            check(c.ov_core_read_model_from_memory_buffer(core, model, model.length,
                    weightsTensor == null ? null : weightsTensor.handle(), ref), "ov_core_read_model_from_memory_buffer");
            return new OvModel(this, ref.getValue(), weightsTensor, memory);
        } catch (OpenVinoException | RuntimeException | Error e) {
            if (weightsTensor != null) {
                weightsTensor.close();
            }
            if (memory != null) {
                memory.close();
            }
            throw e;
        }
    }

    /**
     * Compiles {@code model} for {@code device}.
     *
     * @param properties compile properties, alternately key and value (e.g. {@code CACHE_DIR},
     *        {@code /var/cache/x}); OpenVINO parses each value from its string
     */
    public OvCompiledModel compile(OvModel model, String device, List<String> properties) throws OpenVinoException {
        Objects.requireNonNull(device, "device");
        if (properties.size() % 2 != 0) {
            throw new IllegalArgumentException("properties must be key-value pairs, got " + properties);
        }
        PointerByReference ref = new PointerByReference();
        check(c.ov_core_compile_model(core, model.handle(), device, properties.size(), ref, properties.toArray()),
                "ov_core_compile_model");
        return new OvCompiledModel(this, ref.getValue());
    }

    OpenVinoC c() {
        return c;
    }

    /** Throws an {@link OpenVinoException} with OpenVINO's text unless {@code status} is OK. */
    void check(int status, String function) throws OpenVinoException {
        if (status != 0) {
            throw failure(function, status);
        }
    }

    /**
     * The exception for a failed call. OpenVINO keeps one "last error" text per process (not per
     * thread): it is read right after the failure, and may belong to another thread's failure when
     * two fail at once. The C wrapper sets it only for exceptions from OpenVINO (codes -1 to -13,
     * -17); for its own argument checks the text would be stale, so the static description is used.
     */
    OpenVinoException failure(String function, int status) {
        boolean fromException = (status <= OvStatus.GENERAL_ERROR.code() && status >= OvStatus.INFER_CANCELLED.code())
                || status == OvStatus.UNKNOW_EXCEPTION.code();
        String detail = fromException ? lastErrorMessage() : "";
        if (detail.isEmpty()) {
            try {
                detail = Objects.requireNonNullElse(c.ov_get_error_info(status), "");
            } catch (RuntimeException | UnsatisfiedLinkError e) {
                detail = "";
            }
        }
        return new OpenVinoException(function, status, detail);
    }

    private String lastErrorMessage() {
        if (!hasLastErrorMessage) {
            return "";
        }
        try {
            Pointer text = c.ov_get_last_err_msg();
            return text == null ? "" : takeString(text);
        } catch (UnsatisfiedLinkError e) {
            hasLastErrorMessage = false; // before 2024.0
            return "";
        }
    }

    /** A string OpenVINO allocated for the caller, read and freed. */
    private String takeString(Pointer text) {
        try {
            return text.getString(0, StandardCharsets.UTF_8.name());
        } finally {
            c.ov_free(text);
        }
    }

    private List<String> readDevices() throws OpenVinoException {
        Structs.AvailableDevices list = new Structs.AvailableDevices();
        check(c.ov_core_get_available_devices(core, list), "ov_core_get_available_devices");
        try {
            List<String> names = new ArrayList<>();
            if (list.devices != null && list.size > 0) {
                for (Pointer name : list.devices.getPointerArray(0, (int) list.size)) {
                    names.add(name.getString(0, StandardCharsets.UTF_8.name()));
                }
            }
            return List.copyOf(names);
        } finally {
            c.ov_available_devices_free(list);
        }
    }

    @Override
    public String toString() {
        return "OpenVINO " + version + " from " + loadedFrom + ", devices " + devices;
    }
}
