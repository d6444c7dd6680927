package com.factory.inspect.gate.internal;

import com.factory.inspect.api.camera.CameraHealth;
import com.factory.inspect.api.camera.CameraInfo;
import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.camera.FrameSink;
import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.camera.PixelFormat;
import com.factory.inspect.api.decision.Actuation;
import com.factory.inspect.api.decision.InspectionListener;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.RejectGate;
import com.factory.inspect.api.inference.Availability;
import com.factory.inspect.api.inference.ErrorCode;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.ResizeMethod;
import com.factory.inspect.api.model.TensorLayout;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Hand-made stand-ins for the gate's collaborators, so the loop can be tested without OSGi. */
final class TestDoubles {
    static final int SIZE = 8;

    private TestDoubles() {
    }

    /** A configuration: annotation defaults, overridden by {@code values} (keys as in the annotation). */
    @SuppressWarnings("unchecked")
    static <A extends Annotation> A config(Class<A> type, Map<String, Object> values) {
        return (A) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class || method.getName().equals("annotationType")) {
                return method.getName().equals("annotationType") ? type : null;
            }
            Object v = values.get(method.getName());
            return v != null ? v : method.getDefaultValue();
        });
    }

    static ModelDescriptor descriptor(String version) {
        // Nearest resize to the same size, scale 1/255, mean 0, std 1: input[0] = pixel(0,0) / 255.
        return new ModelDescriptor("probe", version, ModelFormat.ONNX, "probe.onnx", List.of(1, 1, SIZE, SIZE),
                TensorLayout.NCHW, new Preprocessing(ColourOrder.MONO, ResizeMethod.NEAREST, 1.0 / 255, List.of(0.0),
                        List.of(1.0)), List.of("good", "defect"), 1, 0.5, "0".repeat(64));
    }

    /** A frame whose model output will be p(defect) = {@code defectLevel} / 255. */
    static Frame frame(String camera, long sequence, int defectLevel) {
        byte[] pixels = new byte[SIZE * SIZE];
        java.util.Arrays.fill(pixels, (byte) defectLevel);
        return Frame.of(camera, sequence, System.nanoTime(), PixelFormat.MONO8, SIZE, SIZE, pixels,
                defectLevel >= 128 ? GroundTruth.DEFECT : GroundTruth.GOOD, "");
    }

    static final class Source implements ModelSource {
        final ModelDescriptor descriptor;

        Source(String version) {
            this.descriptor = TestDoubles.descriptor(version);
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public byte[] readModel() {
            return new byte[0];
        }

        @Override
        public String origin() {
            return "test";
        }
    }

    /** Outputs [1 - p, p] with p = input[0]; optionally slow. */
    static final class Backend implements InferenceBackend {
        final String id;
        final int rank;
        volatile long inferMillis;
        volatile boolean failInference;
        /** Load fails with this code (model faults: checksum, shape, ...), or null. */
        volatile ErrorCode failLoad;
        final AtomicInteger loads = new AtomicInteger();
        final List<Model> loaded = new java.util.concurrent.CopyOnWriteArrayList<>();

        Backend(String id, int rank) {
            this.id = id;
            this.rank = rank;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public int rank() {
            return rank;
        }

        @Override
        public Availability availability() {
            return Availability.available("test");
        }

        @Override
        public Set<ModelFormat> acceptedFormats() {
            return Set.of(ModelFormat.ONNX);
        }

        @Override
        public LoadedModel load(ModelSource model) throws InferenceException {
            loads.incrementAndGet();
            if (failLoad != null) {
                throw new InferenceException(failLoad, model.descriptor().coordinates() + " from " + model.origin()
                        + " refused by the test");
            }
            Model m = new Model(this, model.descriptor());
            loaded.add(m);
            return m;
        }
    }

    static final class Model implements LoadedModel {
        final Backend backend;
        final ModelDescriptor descriptor;
        final AtomicBoolean closed = new AtomicBoolean();

        Model(Backend backend, ModelDescriptor descriptor) {
            this.backend = backend;
            this.descriptor = descriptor;
        }

        @Override
        public ModelDescriptor descriptor() {
            return descriptor;
        }

        @Override
        public String backendId() {
            return backend.id;
        }

        @Override
        public TensorSpec inputSpec() {
            return new TensorSpec("image", "float32", List.of(1L, 1L, (long) SIZE, (long) SIZE));
        }

        @Override
        public TensorSpec outputSpec() {
            return new TensorSpec("probabilities", "float32", List.of(1L, 2L));
        }

        @Override
        public void infer(int batchSize, FloatBuffer input, FloatBuffer output) throws InferenceException {
            if (closed.get()) {
                throw new InferenceException(ErrorCode.CLOSED, "closed");
            }
            if (backend.failInference) {
                throw new InferenceException(ErrorCode.INFERENCE_FAILED, "device lost (test)");
            }
            long sleep = backend.inferMillis;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            float p = input.get(input.position());
            output.put(1 - p).put(p);
        }

        @Override
        public void close() {
            closed.set(true);
        }
    }

    static final class Camera implements FrameSource {
        final String id;
        volatile FrameSink sink;

        Camera(String id) {
            this.id = id;
        }

        @Override
        public String cameraId() {
            return id;
        }

        @Override
        public CameraInfo info() {
            return new CameraInfo(id, "test", PixelFormat.MONO8, SIZE, SIZE, 100, "test camera");
        }

        @Override
        public CameraHealth health() {
            return new CameraHealth(CameraHealth.State.STREAMING, 0, "");
        }

        @Override
        public Subscription open(FrameSink s) {
            sink = s;
            return () -> sink = null;
        }

        void deliver(Frame f) {
            sink.accept(f);
        }
    }

    /** Records every result. */
    static final class Results implements InspectionListener {
        final ConcurrentLinkedQueue<InspectionResult> all = new ConcurrentLinkedQueue<>();

        @Override
        public void inspected(InspectionResult result, Frame frame) {
            all.add(result);
        }
    }

    /** Records every actuation and checks it came before the deadline. */
    static final class Gate implements RejectGate {
        final Map<String, Actuation> fired = new ConcurrentHashMap<>();
        final AtomicInteger late = new AtomicInteger();

        @Override
        public Actuation fire(String cameraId, long sequence, long deadlineNanos) {
            if (System.nanoTime() > deadlineNanos) {
                late.incrementAndGet();
                return Actuation.TOO_LATE;
            }
            return fired.putIfAbsent(cameraId + "#" + sequence, Actuation.FIRED) == null ? Actuation.FIRED
                    : Actuation.ALREADY_FIRED;
        }
    }
}
