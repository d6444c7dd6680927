package com.factory.inspect.backend.tensorrt;

import static org.bytedeco.cuda.global.cudart.cudaDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaErrorInsufficientDriver;
import static org.bytedeco.cuda.global.cudart.cudaErrorNoDevice;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceProperties;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudart.cudaSuccess;

import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;

/**
 * TensorRT and CUDA as found on this machine, probed once per class loader by the first caller: the
 * system libraries are opened, the JNI wrappers loaded, the TensorRT version and the CUDA devices
 * read. A failure is remembered and reported from then on; the probe never throws.
 */
final class TrtRuntime {
    private static final Logger LOG = System.getLogger(TrtRuntime.class.getName());

    private final String failure;
    private final String version;
    private final String bindingsVersion;
    private final String cudaVersions;
    private final List<GpuInfo> gpus;
    private final TrtLogger logger;

    private TrtRuntime(String failure, String version, String bindingsVersion, String cudaVersions, List<GpuInfo> gpus,
            TrtLogger logger) {
        this.failure = failure;
        this.version = version;
        this.bindingsVersion = bindingsVersion;
        this.cudaVersions = cudaVersions;
        this.gpus = List.copyOf(gpus);
        this.logger = logger;
    }

    /** The one probe of this class loader (holder idiom: lazy, thread-safe). */
    static TrtRuntime get() {
        return Holder.INSTANCE;
    }

    /** A runtime that failed to load, for tests of the unavailable path. */
    static TrtRuntime failed(String reason) {
        return new TrtRuntime(reason, "", "", "", List.of(), null);
    }

    boolean available() {
        return failure.isEmpty();
    }

    /** Why TensorRT cannot run here; empty when available. */
    String failure() {
        return failure;
    }

    /** The TensorRT library's version, e.g. {@code 10.3.0}; empty when unavailable. */
    String version() {
        return version;
    }

    /** {@code TensorRT 10.3.0 (bindings 10.6.0), CUDA runtime 12.6, driver 12.6}. */
    String describe() {
        return "TensorRT " + version + (bindingsVersion.equals(version) ? "" : " (bindings " + bindingsVersion + ")")
                + ", " + cudaVersions;
    }

    /** The device with CUDA index {@code index}, if there is one. */
    Optional<GpuInfo> gpu(int index) {
        return gpus.stream().filter(g -> g.index() == index).findFirst();
    }

    List<GpuInfo> gpus() {
        return gpus;
    }

    /** The logger every builder and runtime is created with, or BACKEND_UNAVAILABLE with the reason. */
    TrtLogger logger() throws InferenceException {
        if (!available()) {
            throw new InferenceException(ErrorCode.BACKEND_UNAVAILABLE, failure);
        }
        return logger;
    }

    private static TrtRuntime probe() {
        try {
            Map<String, String> missing = new LinkedHashMap<>();
            for (NativeLibraries.Library library : NativeLibraries.REQUIRED) {
                try {
                    Loader.loadGlobal(library.file()); // dlopen by soname: the system's search path, as the wrappers link
                } catch (UnsatisfiedLinkError e) {
                    missing.put(library.file(), e.getMessage());
                }
            }
            if (!missing.isEmpty()) {
                return unavailable(NativeLibraries.reason(missing), null);
            }
            // Initialises the cudart, cublas, cudnn, nvrtc, nvinfer and nvinfer_plugin presets on the way.
            Loader.load(nvonnxparser.class);
            String version = version(nvinfer.getInferLibVersion());
            String bindings = version(nvinfer.NV_TENSORRT_VERSION);
            if (!version.startsWith("10.")) {
                return unavailable("libnvinfer.so.10 reports TensorRT " + version + "; the bindings are for TensorRT 10",
                        null);
            }
            int[] driver = new int[1];
            int[] runtime = new int[1];
            cudaDriverGetVersion(driver);
            cudaRuntimeGetVersion(runtime);
            String cuda = "CUDA runtime " + cudaVersion(runtime[0]) + ", driver " + cudaVersion(driver[0]);
            int[] count = new int[1];
            int status = cudaGetDeviceCount(count);
            if (status == cudaErrorNoDevice || (status == cudaSuccess && count[0] == 0)) {
                return unavailable("no CUDA device (" + cuda + ")", null);
            }
            if (status == cudaErrorInsufficientDriver) {
                return unavailable("the NVIDIA driver (CUDA " + cudaVersion(driver[0]) + ") is older than the CUDA "
                        + cudaVersion(runtime[0]) + " runtime: " + Cuda.error(status), null);
            }
            if (status != cudaSuccess) {
                return unavailable("CUDA cannot list its devices: " + Cuda.error(status) + " (" + cuda + ")", null);
            }
            List<GpuInfo> gpus = new ArrayList<>();
            for (int i = 0; i < count[0]; i++) {
                try (cudaDeviceProp p = new cudaDeviceProp()) {
                    status = cudaGetDeviceProperties(p, i);
                    if (status != cudaSuccess) {
                        return unavailable("cudaGetDeviceProperties(" + i + ") failed: " + Cuda.error(status), null);
                    }
                    gpus.add(new GpuInfo(i, p.name().getString().trim(), p.major(), p.minor(), p.totalGlobalMem(),
                            p.integrated() != 0));
                }
            }
            TrtRuntime rt = new TrtRuntime("", version, bindings, cuda, gpus, new TrtLogger());
            LOG.log(Level.INFO, "{0}; GPUs: {1}", rt.describe(), gpus.stream().map(GpuInfo::describe).toList());
            return rt;
        } catch (Throwable t) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError, ...
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError)) {
                throw (VirtualMachineError) t;
            }
            return unavailable("the TensorRT bindings could not be loaded: " + describe(t), t);
        }
    }

    private static TrtRuntime unavailable(String reason, Throwable cause) {
        if (cause == null) {
            LOG.log(Level.INFO, "TensorRT backend unavailable: {0}", reason);
        } else {
            LOG.log(Level.ERROR, "TensorRT backend unavailable: " + reason, cause);
        }
        return failed(reason);
    }

    /** TensorRT 10 numbers versions {@code major * 10000 + minor * 100 + patch}. */
    static String version(int encoded) {
        return encoded / 10000 + "." + encoded / 100 % 100 + "." + encoded % 100;
    }

    /** CUDA numbers versions {@code major * 1000 + minor * 10}. */
    static String cudaVersion(int encoded) {
        return encoded <= 0 ? "none" : encoded / 1000 + "." + encoded % 1000 / 10;
    }

    /** The innermost cause's type and message: the useful part of an initializer failure chain. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + ": " + root.getMessage();
        return root == t ? text : t.getClass().getSimpleName() + " caused by " + text;
    }

    private static final class Holder {
        static final TrtRuntime INSTANCE = probe();
    }
}
