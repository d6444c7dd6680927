package com.factory.inspect.backend.openvino;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.lib.openvino.LibrarySearch;
import com.factory.inspect.lib.openvino.OpenVino;
import com.factory.inspect.lib.openvino.OpenVinoException;
import com.factory.inspect.lib.openvino.OpenVinoRuntime;
import com.factory.inspect.lib.openvino.OvCompiledModel;
import com.factory.inspect.lib.openvino.OvModel;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * ONNX and OpenVINO IR models on an Intel CPU, GPU or NPU through OpenVINO. Configuration changes
 * apply to models loaded afterwards; loaded models keep the device and settings they were compiled
 * with. The OpenVINO library itself is loaded once per JVM by {@code com.factory.inspect.lib.openvino}.
 */
@Component(configurationPid = OpenVinoBackend.PID, service = InferenceBackend.class,
        property = InferenceBackend.PROPERTY_ID + "=" + OpenVinoBackend.ID)
@Designate(ocd = OpenVinoBackend.Config.class)
public final class OpenVinoBackend implements InferenceBackend {
    static final String ID = "openvino";
    static final String PID = "com.factory.inspect.backend.openvino";

    private static final Logger LOG = System.getLogger(OpenVinoBackend.class.getName());

    @ObjectClassDefinition(name = "Factory Inspect OpenVINO backend",
            description = "Runs ONNX and OpenVINO IR models on Intel CPUs, GPUs and NPUs through an installed "
                    + "OpenVINO runtime (2023.0 or newer). Changes apply to models loaded afterwards.")
    public @interface Config {
        @AttributeDefinition(name = "Rank", description = "Preference among available backends; higher wins. "
                + "Above the ONNX Runtime CPU fallback (10).")
        int rank() default BackendOptions.DEFAULT_RANK;

        @AttributeDefinition(name = "Device", description = "OpenVINO device: CPU, GPU (GPU.0, GPU.1, ... when "
                + "there are several), NPU, or AUTO (OpenVINO picks, and may pick differently on each start).")
        String device() default BackendOptions.DEFAULT_DEVICE;

        @AttributeDefinition(name = "Cache folder", description = "Absolute folder where OpenVINO keeps compiled "
                + "models, so later loads skip compilation (seconds on a GPU or NPU). Empty: no cache.")
        String cache_dir() default "";

        @AttributeDefinition(name = "Library path", description = "libopenvino_c.so or the folder holding it. "
                + "Empty: $INTEL_OPENVINO_DIR, the system library path, /opt/intel/openvino*, /usr/lib. "
                + "Takes effect only until OpenVINO is loaded; then a restart.")
        String library_path() default "";

        @AttributeDefinition(name = "Performance hint", description = "LATENCY: fastest single inference; "
                + "THROUGHPUT: most inferences per second over many cameras; DEVICE_DEFAULT: no hint.")
        PerformanceHint performance_hint() default PerformanceHint.LATENCY;

        @AttributeDefinition(name = "Inference threads", description = "Most CPU threads OpenVINO uses for "
                + "inference; 0 = OpenVINO's choice (every core). CPU device only.", min = "0")
        int inference_threads() default 0;
    }

    private final Function<LibrarySearch, OpenVinoRuntime.Probe> runtime;
    private final Set<OvLoadedModel> open = ConcurrentHashMap.newKeySet();
    private final Map<String, String> deviceNames = new ConcurrentHashMap<>();
    private volatile BackendOptions options = BackendOptions.DEFAULTS;
    private volatile boolean active;

    /** For Declarative Services. */
    public OpenVinoBackend() {
        this(OpenVinoRuntime::probe);
    }

    /** For tests: how OpenVINO is probed. */
    OpenVinoBackend(Function<LibrarySearch, OpenVinoRuntime.Probe> runtime) {
        this.runtime = runtime;
    }

    @Activate
    void activate(Config config) {
        activate(BackendOptions.from(config));
    }

    /** Activates with options directly (tests). */
    void activate(BackendOptions opts) {
        options = opts;
        active = true;
        LOG.log(Level.DEBUG, "OpenVINO backend active with {0}", opts);
    }

    @Modified
    void modified(Config config) {
        BackendOptions next = BackendOptions.from(config);
        if (next.equals(options)) {
            return;
        }
        if (!next.libraryPath().equals(options.libraryPath())) {
            LOG.log(Level.INFO, "OpenVINO backend: library.path changed to ''{0}''; if OpenVINO was already "
                    + "loaded, the new path takes effect after a restart", next.libraryPath());
        }
        options = next;
        LOG.log(Level.INFO, "OpenVINO backend reconfigured: {0}; applies to models loaded from now on", next);
    }

    /** Closes models their owners left open: their handles live in this bundle's classes. */
    @Deactivate
    void deactivate() {
        active = false;
        if (!open.isEmpty()) {
            LOG.log(Level.WARNING, "OpenVINO backend stopping: closing {0} model(s) still open", open.size());
        }
        for (OvLoadedModel model : Set.copyOf(open)) {
            model.close();
        }
    }

    /** The options models are loaded with now. */
    BackendOptions options() {
        return options;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int rank() {
        return options.rank();
    }

    @Override
    public Set<ModelFormat> acceptedFormats() {
        return Set.of(ModelFormat.ONNX, ModelFormat.OPENVINO_IR);
    }

    @Override
    public Availability availability() {
        try {
            BackendOptions o = options;
            Usable usable = usable(o);
            if (usable.openVino() == null) {
                return Availability.unavailable(usable.reason());
            }
            OpenVino ov = usable.openVino();
            String name = deviceNames.computeIfAbsent(o.device(), d -> describeDevice(ov, d));
            return Availability.available(name + ", OpenVINO " + ov.release() + ", " + o.settingsText());
        } catch (Throwable t) { // never throws, by contract
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
            return Availability.unavailable("OpenVINO could not be probed: " + t);
        }
    }

    @Override
    public LoadedModel load(ModelSource model) throws InferenceException {
        String name = ModelContract.modelName(model);
        ModelFormat format = model.descriptor().format();
        if (!acceptedFormats().contains(format)) {
            throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, name + " is " + format + "; " + ID
                    + " accepts " + List.of(ModelFormat.ONNX, ModelFormat.OPENVINO_IR));
        }
        BackendOptions opts = options;
        OpenVino ov = openVino(opts);
        ModelFiles files = ModelFiles.of(format, model.readModel(), name); // readModel checks the SHA-256
        OvModel read = read(ov, files, format, name);
        OvLoadedModel loaded = null;
        try {
            ModelContract contract = ModelContract.check(read.inputs(), read.outputs(), model);
            OvCompiledModel compiled = compile(ov, read, opts, name);
            loaded = new OvLoadedModel(model.descriptor(), name, opts.device(), ov, read, compiled, contract,
                    open::remove);
            open.add(loaded);
            if (!active) {
                throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, ID + " was stopped while loading " + name);
            }
            warmUp(loaded);
            LOG.log(Level.INFO, "Loaded {0} ({1}) on {2} {3}: {4} -> {5}", name, files.description(), ID,
                    opts.device(), contract.inputSpec(), contract.outputSpec());
            return loaded;
        } catch (InferenceException | OpenVinoException | RuntimeException | Error e) {
            if (loaded != null) {
                loaded.close();
            } else {
                read.close();
            }
            if (e instanceof InferenceException ie) {
                throw ie;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new InferenceException(ErrorCode.MODEL_INVALID, name + " could not be inspected by OpenVINO: "
                    + e.getMessage(), e);
        }
    }

    /** OpenVINO with the configured device present, or {@code BACKEND_UNAVAILABLE} saying why not. */
    private OpenVino openVino(BackendOptions o) throws InferenceException {
        Usable usable = usable(o);
        if (usable.openVino() == null) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, usable.reason());
        }
        return usable.openVino();
    }

    /** OpenVINO if it is loaded and has the configured device, else why not. */
    private Usable usable(BackendOptions o) {
        if (!o.deviceError().isEmpty()) {
            return new Usable(null, o.deviceError());
        }
        OpenVinoRuntime.Probe probe = runtime.apply(o.librarySearch());
        if (!probe.loaded()) {
            return new Usable(null, probe.failure());
        }
        OpenVino ov = probe.openVino();
        if (!Devices.present(o.device(), ov.availableDevices())) {
            return new Usable(null, Devices.notPresent(o.device(), ov.availableDevices()) + " (OpenVINO "
                    + ov.release() + ")");
        }
        return new Usable(ov, "");
    }

    /** @param openVino the runtime, or null; @param reason why it cannot be used, when null */
    private record Usable(OpenVino openVino, String reason) {
    }

    /**
     * Reads the model. An IR that OpenVINO cannot read is invalid (no other backend reads IR); an
     * ONNX model may use operators OpenVINO's ONNX reader lacks but another backend has, so that is
     * reported as a format this backend cannot take, which lets the gate try the next backend.
     */
    private static OvModel read(OpenVino ov, ModelFiles files, ModelFormat format, String name)
            throws InferenceException {
        try {
            return ov.readModel(files.model(), files.weights());
        } catch (OpenVinoException | RuntimeException e) {
            boolean ir = ModelFormat.OPENVINO_IR.equals(format);
            throw new InferenceException(ir ? ErrorCode.MODEL_INVALID : ErrorCode.UNSUPPORTED_FORMAT, name + " ("
                    + files.description() + ") could not be read by OpenVINO " + ov.release()
                    + (ir ? "" : " (another backend may read it)") + ": " + e.getMessage(), e);
        }
    }

    /**
     * Compiles for the configured device. A failure here depends on the device (driver, memory,
     * operators the device lacks), not only on the model, so it is not a verdict on the model.
     */
    private static OvCompiledModel compile(OpenVino ov, OvModel read, BackendOptions opts, String name)
            throws InferenceException {
        List<String> properties = CompileProperties.of(opts, CompileProperties.usableCacheDir(opts.cacheDir()));
        try {
            return ov.compile(read, opts.device(), properties);
        } catch (OpenVinoException | RuntimeException e) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, name + " could not be compiled for "
                    + opts.device() + " by OpenVINO " + ov.release() + " with " + properties + ": " + e.getMessage(),
                    e);
        }
    }

    private static void warmUp(OvLoadedModel loaded) throws InferenceException {
        try {
            loaded.warmUp();
        } catch (InferenceException e) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, "warm-up inference failed: "
                    + e.getMessage(), e);
        }
    }

    /** {@code CPU (Intel(R) Core(TM) i5-1145G7)}, or {@code AUTO over CPU, GPU}. */
    private static String describeDevice(OpenVino ov, String device) {
        if (device.equals("AUTO")) {
            return "AUTO over " + String.join(", ", ov.availableDevices());
        }
        return ov.fullDeviceName(device).map(full -> device + " (" + full.strip() + ")").orElse(device);
    }
}
