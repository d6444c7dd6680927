package com.factory.inspect.backend.tensorrt;

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
 * ONNX models as TensorRT engines on an NVIDIA GPU. The first load of a model on a device starts an
 * engine build in the background and fails with {@link ErrorCode#NOT_READY}, so the gateway keeps
 * running it on another backend; once built, the engine is kept in the engine cache and later loads
 * (and restarts) take it from there. Configuration changes apply to models loaded afterwards.
 */
// Precision for the conformance suite's tolerance: AUTO builds FP16 engines on GPUs that are fast at it.
@Component(configurationPid = TensorRtBackend.PID, service = InferenceBackend.class,
        property = {InferenceBackend.PROPERTY_ID + "=" + TensorRtBackend.ID, "inspect.backend.precision=fp16"})
@Designate(ocd = TensorRtBackend.Config.class)
public final class TensorRtBackend implements InferenceBackend {
    static final String ID = "tensorrt";
    static final String PID = "com.factory.inspect.backend.tensorrt";

    private static final Logger LOG = System.getLogger(TensorRtBackend.class.getName());

    /** Which reduced precisions engines may use. */
    public enum PrecisionPolicy {
        /** FP16 where the GPU runs it fast, INT8 for models with QuantizeLinear/DequantizeLinear nodes. */
        AUTO,
        /** FP32, except the INT8 a quantized model asks for with its QuantizeLinear/DequantizeLinear nodes. */
        FP32
    }

    @ObjectClassDefinition(name = "Factory Inspect TensorRT backend",
            description = "Runs ONNX models as TensorRT engines on an NVIDIA GPU. Engines are built in the "
                    + "background and cached; changes apply to models loaded afterwards.")
    public @interface Config {
        @AttributeDefinition(name = "Rank", description = "Preference among available backends; higher wins. "
                + "Above the CPU backends, so the GPU is used once a model's engine is ready.")
        int rank() default BackendOptions.DEFAULT_RANK;

        @AttributeDefinition(name = "Engine cache folder", description = "Where built engines are kept, one "
                + "file per model, TensorRT version, GPU, precision and batch range; relative to the working "
                + "folder. Deleting a file makes the engine be built again.")
        String engine_cache_dir() default BackendOptions.DEFAULT_ENGINE_CACHE_DIR;

        @AttributeDefinition(name = "Precision", description = "AUTO: FP16 where the GPU runs it fast and INT8 "
                + "for quantized (QDQ) models; FP32: 32-bit floats except for a QDQ model's own INT8 layers.")
        PrecisionPolicy precision() default PrecisionPolicy.AUTO;

        @AttributeDefinition(name = "Build workspace (MB)", description = "Device memory TensorRT may use as "
                + "scratch space while building an engine (1 to 65536). On a Jetson it is shared with the CPU.",
                min = "1", max = "65536")
        int workspace_mb() default BackendOptions.DEFAULT_WORKSPACE_MB;

        @AttributeDefinition(name = "CUDA device", description = "Index of the GPU engines are built for and run "
                + "on (0 = the first).", min = "0")
        int device_index() default 0;

        @AttributeDefinition(name = "Batch size tuned for", description = "The batch size engines are optimised "
                + "for (models with a dynamic batch).", min = "1", max = "256")
        int batch_opt() default BackendOptions.DEFAULT_OPT_BATCH;

        @AttributeDefinition(name = "Largest batch size", description = "Engines accept 1 to this many images "
                + "per inference (models with a dynamic batch); device buffers are sized for it.",
                min = "1", max = "256")
        int batch_max() default BackendOptions.DEFAULT_MAX_BATCH;

        @AttributeDefinition(name = "Execution contexts", description = "Inferences that run at the same time "
                + "on one model (1 to 16); each has its own CUDA stream and buffers.", min = "1", max = "16")
        int contexts() default BackendOptions.DEFAULT_CONTEXTS;
    }

    private final Supplier<TrtRuntime> runtime;
    private final Set<TrtLoadedModel> open = ConcurrentHashMap.newKeySet();
    private final EngineBuilds builds = new EngineBuilds(System::nanoTime);
    private volatile BackendOptions options = BackendOptions.DEFAULTS;
    private volatile boolean active;

    /** For Declarative Services. */
    public TensorRtBackend() {
        this(TrtRuntime::get);
    }

    /** For tests: a given runtime (e.g. one that failed to load). */
    TensorRtBackend(Supplier<TrtRuntime> runtime) {
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
        LOG.log(Level.DEBUG, "TensorRT backend active: {0}", opts.describe());
    }

    @Modified
    void modified(Config config) {
        BackendOptions next = BackendOptions.from(config);
        if (next.equals(options)) {
            return;
        }
        options = next;
        builds.forgetFailures();
        LOG.log(Level.INFO, "TensorRT backend reconfigured: {0}; applies to models loaded from now on", next.describe());
    }

    /** Stops taking builds and closes models their owners left open (their engines live in this bundle). */
    @Deactivate
    void deactivate() {
        active = false;
        builds.close();
        if (!open.isEmpty()) {
            LOG.log(Level.WARNING, "TensorRT backend stopping: closing {0} model(s) still open", open.size());
        }
        for (TrtLoadedModel model : Set.copyOf(open)) {
            model.close();
        }
    }

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
            TrtRuntime rt = runtime.get();
            if (!rt.available()) {
                return Availability.unavailable(rt.failure());
            }
            BackendOptions opts = options;
            GpuInfo gpu = rt.gpu(opts.deviceIndex()).orElse(null);
            if (gpu == null) {
                return Availability.unavailable("CUDA device " + opts.deviceIndex() + " does not exist (device.index); "
                        + "found " + rt.gpus().stream().map(GpuInfo::describe).toList());
            }
            int building = builds.running();
            return Availability.available("GPU " + gpu.describe() + ", " + rt.describe() + ", " + opts.describe()
                    + (building > 0 ? ", " + building + " engine build(s) running" : ""));
        } catch (Throwable t) { // never throws, by contract
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
            return Availability.unavailable("TensorRT could not be probed: " + t);
        }
    }

    @Override
    public LoadedModel load(ModelSource model) throws InferenceException {
        String name = EngineContract.modelName(model);
        if (!ModelFormat.ONNX.equals(model.descriptor().format())) {
            throw new InferenceException(ErrorCode.UNSUPPORTED_FORMAT, name + " is " + model.descriptor().format()
                    + "; " + ID + " accepts " + acceptedFormats());
        }
        TrtRuntime rt = runtime.get();
        TrtLogger logger = rt.logger();
        BackendOptions opts = options;
        GpuInfo gpu = rt.gpu(opts.deviceIndex()).orElseThrow(() -> new InferenceException(
                ErrorCode.BACKEND_UNAVAILABLE, "CUDA device " + opts.deviceIndex() + " does not exist"));
        byte[] onnx = model.readModel();
        EngineKey key = key(model, name, onnx, rt, gpu, opts);
        EngineCache cache = new EngineCache(opts.engineCacheDir());
        EngineBuilds.Builder builder = () -> EngineBuilder.build(onnx, model, name, key.precision(), key.profile(),
                opts.workspaceBytes(), gpu.index(), logger);
        byte[] plan = builds.engine(cache, key, name, builder);
        TrtLoadedModel loaded = TrtLoadedModel.open(model, name, plan, gpu.index(), opts.contexts(), logger,
                open::remove);
        if (loaded == null) {
            cache.discard(key, "TensorRT " + rt.version() + " did not accept the engine");
            plan = builds.engine(cache, key, name, builder); // starts the rebuild: NOT_READY
            loaded = TrtLoadedModel.open(model, name, plan, gpu.index(), opts.contexts(), logger, open::remove);
            if (loaded == null) {
                throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, name + ": TensorRT " + rt.version()
                        + " does not accept the engine it built from it");
            }
        }
        open.add(loaded);
        try {
            if (!active) {
                throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, ID + " was stopped while loading " + name);
            }
            loaded.warmUp();
            LOG.log(Level.INFO, "Loaded {0} on {1}: {2} -> {3}, batch {4}", name, ID, loaded.inputSpec(),
                    loaded.outputSpec(), loaded.batches().text());
            return loaded;
        } catch (InferenceException | RuntimeException e) {
            // Not MODEL_INVALID: a GPU that fails says nothing about the model, which may run elsewhere.
            loaded.close();
            throw e;
        }
    }

    /** The engine cache key: the model's bytes and what the engine will be built with. */
    private static EngineKey key(ModelSource model, String name, byte[] onnx, TrtRuntime rt, GpuInfo gpu,
            BackendOptions opts) throws InferenceException {
        boolean quantized;
        try {
            quantized = OnnxGraph.read(onnx).quantized();
        } catch (IllegalArgumentException e) {
            throw new InferenceException(ErrorCode.MODEL_INVALID, name + ": " + e.getMessage(), e);
        }
        Precision precision = Precision.resolve(opts.precision(), quantized, gpu);
        BatchProfile profile = BatchProfile.of(model.descriptor().inputShape().get(0), opts.optBatch(), opts.maxBatch());
        return new EngineKey(model.descriptor().name(), model.descriptor().version(), model.descriptor().sha256(),
                rt.version(), gpu.name(), gpu.architecture(), precision, profile);
    }
}
