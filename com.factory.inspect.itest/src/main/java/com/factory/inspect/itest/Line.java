package com.factory.inspect.itest;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.decision.Actuation;
import com.factory.inspect.api.decision.InspectionListener;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.RejectGate;
import com.factory.inspect.api.gate.InspectionService;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * A production line for a test: configures cameras and the gate through ConfigAdmin, as a
 * technician's configuration files would, and records every result and every actuation.
 */
final class Line implements AutoCloseable {
    static final String GATE_PID = "com.factory.inspect.gate";
    static final String SYNTHETIC_PID = "com.factory.inspect.camera.synthetic";
    static final String FOLDER_PID = "com.factory.inspect.camera.folder";

    final BundleContext context = FrameworkUtil.getBundle(Line.class).getBundleContext();
    final ConfigurationAdmin config;
    final InspectionService gate;
    final ConcurrentLinkedQueue<InspectionResult> results = new ConcurrentLinkedQueue<>();
    final Map<String, Actuation> actuations = new ConcurrentHashMap<>();
    private final List<Configuration> created = new ArrayList<>();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    Line(ConfigurationAdmin config, InspectionService gate) {
        this.config = config;
        this.gate = gate;
        InspectionListener listener = (InspectionResult result, Frame frame) -> results.add(result);
        registrations.add(context.registerService(InspectionListener.class, listener, null));
        // Ranks above the default logging gate, so it is the one the gate fires.
        RejectGate recorder = (camera, sequence, deadline) -> {
            if (System.nanoTime() > deadline) {
                return Actuation.TOO_LATE;
            }
            return actuations.putIfAbsent(camera + "#" + sequence, Actuation.FIRED) == null ? Actuation.FIRED
                    : Actuation.ALREADY_FIRED;
        };
        registrations.add(context.registerService(RejectGate.class, recorder,
                new Hashtable<>(Map.of(Constants.SERVICE_RANKING, 100))));
    }

    void configureGate(Map<String, Object> properties) throws IOException {
        Configuration c = config.getConfiguration(GATE_PID, "?");
        Dictionary<String, Object> p = c.getProperties() == null ? new Hashtable<>() : c.getProperties();
        properties.forEach(p::put);
        c.update(p);
        if (!created.contains(c)) {
            created.add(c);
        }
    }

    Configuration camera(String pid, String id, Map<String, Object> properties) throws IOException {
        Configuration c = config.getFactoryConfiguration(pid, id, "?");
        Hashtable<String, Object> p = new Hashtable<>(properties);
        p.put("camera.id", id);
        c.update(p);
        created.add(c);
        return c;
    }

    Configuration syntheticCamera(String id, double fps, double defectRate, int seed) throws IOException {
        return camera(SYNTHETIC_PID, id, Map.of("fps", fps, "defect.rate", defectRate, "seed", seed));
    }

    <S> S service(Class<S> type, String filter) throws InvalidSyntaxException {
        for (ServiceReference<S> ref : context.getServiceReferences(type, filter)) {
            return context.getService(ref);
        }
        return null;
    }

    List<InspectionResult> resultsOf(String cameraId) {
        return results.stream().filter(r -> r.cameraId().equals(cameraId)).toList();
    }

    long count(String cameraId) {
        return results.stream().filter(r -> r.cameraId().equals(cameraId)).count();
    }

    void awaitModelActive() throws InterruptedException {
        await(() -> gate.status().modelState().startsWith("active"), 30_000,
                () -> "model not active: " + gate.status().modelState());
    }

    static void await(BooleanSupplier condition, long millis, java.util.function.Supplier<String> message)
            throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError(message.get() + " (waited " + millis + " ms)");
            }
            Thread.sleep(20);
        }
    }

    /**
     * Stops the line: removes the test's configurations (so its cameras stop), waits until every
     * queued frame is decided, then removes the test's listener and reject gate. Idempotent.
     */
    @Override
    public void close() throws Exception {
        for (Configuration c : created) {
            try {
                c.delete();
            } catch (IllegalStateException alreadyDeleted) {
                // closed before
            }
        }
        await(() -> gate.cameras().isEmpty(), 10_000, () -> "cameras still attached: " + gate.cameras());
        // Frames still queued are decided within the deadline (100 ms); wait until results stop coming.
        int seen;
        do {
            seen = results.size();
            Thread.sleep(250);
        } while (results.size() != seen);
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // closed before
            }
        }
    }
}
