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
 * TensorFlow Lite models on the CPU, every interpreter with its own XNNPACK delegate. Refuses
 * models compiled for the Edge TPU, which only the {@code edgetpu} backend can run. Configuration
 * changes apply to models loaded afterwards.
 */
@Component(configurationPid = TfLiteCpuBackend.PID, service = InferenceBackend.class,
        property = InferenceBackend.PROPERTY_ID + "=" + TfLiteCpuBackend.ID)
@Designate(ocd = TfLiteCpuBackend.Config.class)
public final class TfLiteCpuBackend implements InferenceBackend {
    static final String ID = "tflite-cpu";
    static final String PID = "com.factory.inspect.backend.coral.cpu";

    private static final Logger LOG = System.getLogger(TfLiteCpuBackend.class.getName());

    @ObjectClassDefinition(name = "Factory Inspect TensorFlow Lite CPU backend",
            description = "Runs TensorFlow Lite models on the CPU with XNNPACK. Changes apply to models loaded "
                    + "afterwards.")
    public @interface Config {
        @AttributeDefinition(name = "Rank", description = "Preference among available backends; higher wins. "
                + "Below the ONNX Runtime CPU backend by default, and below every accelerator.")
        int rank() default CpuOptions.DEFAULT_RANK;

        @AttributeDefinition(name = "Threads", description = "XNNPACK threads one inference may use; 1 runs "
                + "it on the calling thread.", min = "1")
        int threads() default CpuOptions.DEFAULT_THREADS;

        @AttributeDefinition(name = "Interpreters", description = "Interpreters per model, i.e. how many "
                + "inferences of one model run at the same time (each needs its own); 0 = one per core.",
                min = "0")
        int interpreters() default CpuOptions.DEFAULT_INTERPRETERS;
    }

    private final Supplier<TfLiteRuntime> runtime;
    private final OpenModels open = new OpenModels(ID);
    private volatile CpuOptions options = CpuOptions.DEFAULTS;

    /** For Declarative Services. */
    public TfLiteCpuBackend() {
        this(TfLiteRuntime::get);
    }

    /** For tests: a given runtime (e.g. one that failed to load). */
    TfLiteCpuBackend(Supplier<TfLiteRuntime> runtime) {
        this.runtime = runtime;
    }

    @Activate
    void activate(Config config) {
        activate(CpuOptions.from(config));
    }

    /** Activates with options directly (tests). */
    void activate(CpuOptions opts) {
        options = opts;
        open.activate();
        LOG.log(Level.DEBUG, "{0} active with {1}", ID, opts);
    }

    @Modified
    void modified(Config config) {
        CpuOptions next = CpuOptions.from(config);
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
    CpuOptions options() {
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

    @Override
    public Availability availability() {
        try {
            TfLiteRuntime tflite = runtime.get();
            if (!tflite.available()) {
                return Availability.unavailable(tflite.failure());
            }
            CpuOptions o = options;
            return Availability.available("CPU " + System.getProperty("os.arch") + ", XNNPACK, " + o.threads()
                    + " thread(s) per inference, " + o.interpreterCount() + " interpreter(s) per model, TensorFlow Lite "
                    + tflite.version());
        } catch (Throwable t) { // never throws, by contract
            return Availability.unavailable("TensorFlow Lite could not be probed: " + t);
        }
    }

    @Override
    public LoadedModel load(ModelSource model) throws InferenceException {
        TfLiteRuntime tflite = runtime.get();
        Xnnpack xnnpack = Xnnpack.of(tflite);
        CpuOptions o = options;
        return ModelLoader.load(model, new ModelLoader.Plan() {
            @Override
            public String backendId() {
                return ID;
            }

            @Override
            public void accept(OperatorCodes operators, String name) throws InferenceException {
                if (operators.needsEdgeTpu()) {
                    throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, name + " is compiled for the Edge TPU: "
                            + "its graph runs in the custom operator " + OperatorCodes.EDGETPU_CUSTOM_OP
                            + ", which only the Edge TPU delegate executes; " + ID + " cannot run it. Run it on "
                            + "backend " + EdgeTpuBackend.ID + " (a Coral with libedgetpu), or give " + ID
                            + " the model as it was before edgetpu_compiler.");
                }
            }

            @Override
            public int interpreters() {
                return o.interpreterCount();
            }

            @Override
            public NativeInterpreter interpreter(NativeModel nativeModel, String name) throws InferenceException {
                return NativeInterpreter.create(nativeModel, o.threads(), xnnpack.create(o.threads()), name);
            }
        }, open);
    }
}
