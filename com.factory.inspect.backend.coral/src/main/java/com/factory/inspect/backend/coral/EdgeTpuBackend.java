package com.factory.inspect.backend.coral;

import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Models compiled for the Edge TPU ({@code edgetpu_compiler}), on a Coral USB Accelerator or a
 * PCIe/M.2 module, through libedgetpu's TensorFlow Lite delegate. Available only where libedgetpu
 * and a device are present; refuses models that were not compiled for the Edge TPU (they belong on
 * a CPU backend). One interpreter per model: the TPU runs one inference at a time anyway.
 */
@Component(configurationPid = EdgeTpuBackend.PID, service = InferenceBackend.class,
        property = InferenceBackend.PROPERTY_ID + "=" + EdgeTpuBackend.ID)
@Designate(ocd = EdgeTpuBackend.Config.class)
public final class EdgeTpuBackend implements InferenceBackend {
    static final String ID = "edgetpu";
    static final String PID = "com.factory.inspect.backend.coral.edgetpu";

    private static final Logger LOG = System.getLogger(EdgeTpuBackend.class.getName());

    @ObjectClassDefinition(name = "Factory Inspect Edge TPU backend",
            description = "Runs Edge-TPU-compiled TensorFlow Lite models on a Coral device through libedgetpu. "
                    + "Changes apply to models loaded afterwards.")
    public @interface Config {
        @AttributeDefinition(name = "Rank", description = "Preference among available backends; higher wins. "
                + "Above the CPU backends.")
        int rank() default EdgeTpuOptions.DEFAULT_RANK;

        @AttributeDefinition(name = "Library", description = "libedgetpu: a file name looked up like the "
                + "dynamic linker does (LD_LIBRARY_PATH, then the system folders), or a path.")
        String library() default EdgeTpuOptions.DEFAULT_LIBRARY;

        @AttributeDefinition(name = "Device", description = "Which Edge TPU: empty for any, usb, pci, or :N, "
                + "usb:N, pci:N for the N-th (libedgetpu's enumeration order).")
        String device() default EdgeTpuOptions.DEFAULT_DEVICE;
    }

    private final Supplier<TfLiteRuntime> runtime;
    private final OpenModels open = new OpenModels(ID);
    private volatile EdgeTpuOptions options = EdgeTpuOptions.DEFAULTS;

    /** For Declarative Services. */
    public EdgeTpuBackend() {
        this(TfLiteRuntime::get);
    }

    /** For tests: a given runtime (e.g. one that failed to load). */
    EdgeTpuBackend(Supplier<TfLiteRuntime> runtime) {
        this.runtime = runtime;
    }

    @Activate
    void activate(Config config) {
        activate(EdgeTpuOptions.from(config));
    }

    /** Activates with options directly (tests). */
    void activate(EdgeTpuOptions opts) {
        options = opts;
        open.activate();
        LOG.log(Level.DEBUG, "{0} active with {1}", ID, opts);
    }

    @Modified
    void modified(Config config) {
        EdgeTpuOptions next = EdgeTpuOptions.from(config);
        if (next.equals(options)) {
            return;
        }
        options = next;
        LOG.log(Level.INFO, "{0} reconfigured: {1}; applies to models loaded from now on", ID, next);
    }

    @Deactivate
    void deactivate() {
        open.deactivate();
    }

    /** The options models are loaded with now. */
    EdgeTpuOptions options() {
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
        return Set.of(ModelFormat.TFLITE);
    }

    /**
     * Looks for TensorFlow Lite, libedgetpu and a device without opening anything, and says what
     * is missing.
     */
    @Override
    public Availability availability() {
        try {
            return probe(options).availability;
        } catch (Throwable t) { // never throws, by contract
            return Availability.unavailable("Edge TPU could not be probed: " + t);
        }
    }

    @Override
    public LoadedModel load(ModelSource model) throws InferenceException {
        EdgeTpuOptions o = options;
        Probe probe = probe(o);
        if (!probe.availability.available()) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, ID + " cannot load "
                    + ModelContract.modelName(model) + ": " + probe.availability.reason());
        }
        EdgeTpuLibrary library = EdgeTpuLibrary.open(probe.library);
        LOG.log(Level.INFO, "{0}: libedgetpu {1} from {2}, {3}", ID, library.version(), probe.library,
                probe.availability.device());
        return ModelLoader.load(model, new ModelLoader.Plan() {
            @Override
            public String backendId() {
                return ID;
            }

            @Override
            public void accept(OperatorCodes operators, String name) throws InferenceException {
                requireCompiled(operators, name);
            }

            @Override
            public int interpreters() {
                return 1;
            }

            @Override
            public NativeInterpreter interpreter(NativeModel nativeModel, String name) throws InferenceException {
                return NativeInterpreter.create(nativeModel, 1, library.createDelegate(o.device()), name);
            }
        }, open);
    }

    /** Refuses a model without the Edge TPU operator: it would run entirely on the CPU here. */
    static void requireCompiled(OperatorCodes operators, String name) throws InferenceException {
        if (!operators.needsEdgeTpu()) {
            throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, name + " is not compiled for the Edge TPU "
                    + "(it has no " + OperatorCodes.EDGETPU_CUSTOM_OP + " operator): compile it with "
                    + "edgetpu_compiler, or run it on a CPU backend such as " + TfLiteCpuBackend.ID);
        }
    }

    /** What availability found: the verdict and, when available, libedgetpu's file. */
    private record Probe(Availability availability, Path library) {
    }

    private Probe probe(EdgeTpuOptions o) {
        TfLiteRuntime tflite = runtime.get();
        List<String> missing = new ArrayList<>();
        if (!tflite.available()) {
            missing.add(tflite.failure());
        }
        List<Path> folders = LibrarySearch.folders();
        Optional<Path> library = LibrarySearch.find(o.library(), folders);
        if (library.isEmpty()) {
            missing.add(LibrarySearch.notFound(o.library(), folders) + "; install the Edge TPU runtime "
                    + "(libedgetpu1-std or libedgetpu1-max)");
        }
        List<String> devices = EdgeTpuDevices.find(EdgeTpuDevices.DEV, EdgeTpuDevices.USB_DEVICES, o.deviceType());
        if (devices.isEmpty()) {
            missing.add(EdgeTpuDevices.notFound(EdgeTpuDevices.DEV, EdgeTpuDevices.USB_DEVICES, o.deviceType()));
        }
        if (!missing.isEmpty()) {
            return new Probe(Availability.unavailable(String.join("; ", missing)), null);
        }
        return new Probe(Availability.available("Edge TPU " + String.join(", ", devices)
                + (o.device().isEmpty() ? "" : " (device " + o.device() + ")") + ", " + library.get()
                + ", TensorFlow Lite " + tflite.version()), library.get());
    }
}
