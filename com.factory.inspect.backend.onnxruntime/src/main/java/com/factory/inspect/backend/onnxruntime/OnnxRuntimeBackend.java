package com.factory.inspect.backend.onnxruntime;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The CPU fallback backend: ONNX models on ONNX Runtime's CPU execution provider. Configuration
 * changes apply to models loaded afterwards; loaded models keep the settings they were created with.
 */
@Component(configurationPid = OnnxRuntimeBackend.PID, service = InferenceBackend.class,
        property = InferenceBackend.PROPERTY_ID + "=" + OnnxRuntimeBackend.ID)
@Designate(ocd = OnnxRuntimeBackend.Config.class)
public final class OnnxRuntimeBackend implements InferenceBackend {
    static final String ID = "onnxruntime-cpu";
    static final String PID = "com.factory.inspect.backend.onnxruntime";

    private static final Logger LOG = System.getLogger(OnnxRuntimeBackend.class.getName());

    /** ONNX Runtime's graph optimisation levels. */
    public enum OptimizationLevel {
        NO_OPT(SessionOptions.OptLevel.NO_OPT),
        BASIC(SessionOptions.OptLevel.BASIC_OPT),
        EXTENDED(SessionOptions.OptLevel.EXTENDED_OPT),
        ALL(SessionOptions.OptLevel.ALL_OPT);

        private final SessionOptions.OptLevel ort;

        OptimizationLevel(SessionOptions.OptLevel ort) {
            this.ort = ort;
        }

        SessionOptions.OptLevel ort() {
            return ort;
        }
    }

    /** Whether ONNX Runtime may run independent operators of a graph in parallel. */
    public enum ExecutionMode {
        SEQUENTIAL(SessionOptions.ExecutionMode.SEQUENTIAL),
        PARALLEL(SessionOptions.ExecutionMode.PARALLEL);

        private final SessionOptions.ExecutionMode ort;

        ExecutionMode(SessionOptions.ExecutionMode ort) {
            this.ort = ort;
        }

        SessionOptions.ExecutionMode ort() {
            return ort;
        }
    }

    @ObjectClassDefinition(name = "Factory Inspect ONNX Runtime CPU backend",
            description = "Runs ONNX models on the CPU. Changes apply to models loaded afterwards.")
    public @interface Config {
        @AttributeDefinition(name = "Rank", description = "Preference among available backends; higher wins. "
                + "The CPU backend is the fallback, so accelerators rank higher.")
        int rank() default BackendOptions.DEFAULT_RANK;

        @AttributeDefinition(name = "Intra-op threads", description = "Threads one operator may use; "
                + "0 = one per core.", min = "0")
        int intra_op_threads() default BackendOptions.DEFAULT_THREADS;

        @AttributeDefinition(name = "Inter-op threads", description = "Threads running independent operators "
                + "in PARALLEL execution mode; 0 = ONNX Runtime's choice.", min = "0")
        int inter_op_threads() default BackendOptions.DEFAULT_THREADS;

        @AttributeDefinition(name = "Optimization level", description = "Graph optimisations applied when a "
                + "model is loaded.")
        OptimizationLevel optimization_level() default OptimizationLevel.ALL;

        @AttributeDefinition(name = "Execution mode", description = "SEQUENTIAL runs one operator at a time; "
                + "PARALLEL runs independent branches of a graph concurrently.")
        ExecutionMode execution_mode() default ExecutionMode.SEQUENTIAL;

        @AttributeDefinition(name = "CPU memory arena", description = "Keep ONNX Runtime's memory arena per "
                + "session: faster allocation, more resident memory after many model switches.")
        boolean cpu_arena() default true;
    }

    private final Supplier<OrtRuntime> runtime;
    private final Set<OrtLoadedModel> open = ConcurrentHashMap.newKeySet();
    private volatile BackendOptions options = BackendOptions.DEFAULTS;
    private volatile boolean active;

    /** For Declarative Services. */
    public OnnxRuntimeBackend() {
        this(OrtRuntime::get);
    }

    /** For tests: a given runtime (e.g. one that failed to load). */
    OnnxRuntimeBackend(Supplier<OrtRuntime> runtime) {
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
        LOG.log(Level.DEBUG, "ONNX Runtime backend active with {0}", opts);
    }

    @Modified
    void modified(Config config) {
        BackendOptions next = BackendOptions.from(config);
        if (next.equals(options)) {
            return;
        }
        options = next;
        LOG.log(Level.INFO, "ONNX Runtime backend reconfigured: {0}; applies to models loaded from now on", next);
    }

    /** Closes models their owners left open: their sessions live in this bundle's classes. */
    @Deactivate
    void deactivate() {
        active = false;
        if (!open.isEmpty()) {
            LOG.log(Level.WARNING, "ONNX Runtime backend stopping: closing {0} model(s) still open", open.size());
        }
        for (OrtLoadedModel model : Set.copyOf(open)) {
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
        return Set.of(ModelFormat.ONNX);
    }

    @Override
    public Availability availability() {
        try {
            OrtRuntime ort = runtime.get();
            if (!ort.available()) {
                return Availability.unavailable(ort.failure());
            }
            return Availability.available("CPU " + System.getProperty("os.arch") + ", "
                    + options.intraOpThreadsText() + ", ONNX Runtime " + ort.version());
        } catch (Throwable t) { // never throws, by contract
            return Availability.unavailable("ONNX Runtime could not be probed: " + t);
        }
    }

    @Override
    public LoadedModel load(ModelSource model) throws InferenceException {
        String name = ModelContract.modelName(model);
        if (!ModelFormat.ONNX.equals(model.descriptor().format())) {
            throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, name + " is "
                    + model.descriptor().format() + "; " + ID + " accepts " + acceptedFormats());
        }
        OrtEnvironment env = runtime.get().environment();
        BackendOptions opts = options;
        byte[] bytes = model.readModel();
        OrtSession session = createSession(env, opts, bytes, name);
        OrtLoadedModel loaded = null;
        try {
            ModelContract contract = ModelContract.check(session, model);
            loaded = new OrtLoadedModel(model.descriptor(), name, env, session, contract, open::remove);
            open.add(loaded);
            if (!active) {
                throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, ID + " was stopped while loading " + name);
            }
            loaded.warmUp();
            LOG.log(Level.INFO, "Loaded {0} on {1}: {2} -> {3}", name, ID, contract.inputSpec(), contract.outputSpec());
            return loaded;
        } catch (InferenceException | OrtException | RuntimeException | Error e) {
            if (loaded != null) {
                loaded.close();
            } else {
                closeSession(session, name, e);
            }
            if (e instanceof InferenceException ie) {
                if (ie.code() == ErrorCode.INFERENCE_FAILED) {
                    throw new InferenceException(ErrorCode.MODEL_INVALID, name + " failed its warm-up inference: "
                            + ie.getMessage(), ie);
                }
                throw ie;
            }
            if (e instanceof Error err) {
                throw err;
            }
            throw new InferenceException(ErrorCode.MODEL_INVALID, name + " could not be inspected: "
                    + e.getMessage(), e);
        }
    }

    private static OrtSession createSession(OrtEnvironment env, BackendOptions opts, byte[] bytes, String name)
            throws InferenceException {
        SessionOptions sessionOptions;
        try {
            sessionOptions = opts.sessionOptions();
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, "ONNX Runtime rejected the backend options "
                    + opts + " while loading " + name + ": " + e.getMessage(), e);
        }
        try (sessionOptions) {
            return env.createSession(bytes, sessionOptions);
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException(ErrorCode.MODEL_INVALID, name + " was rejected by ONNX Runtime: "
                    + e.getMessage(), e);
        }
    }

    private static void closeSession(OrtSession session, String name, Throwable failure) {
        try {
            session.close();
        } catch (OrtException | RuntimeException e) {
            failure.addSuppressed(e);
            LOG.log(Level.WARNING, "Closing the ONNX Runtime session of " + name + " failed", e);
        }
    }
}
