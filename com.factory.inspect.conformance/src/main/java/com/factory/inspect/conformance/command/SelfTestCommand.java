package com.factory.inspect.conformance.command;

import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.conformance.ConformanceReport;
import com.factory.inspect.conformance.SelfTest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code inspect:selftest}: the conformance suite on every installed backend of this box, the way a
 * technician certifies a Jetson, an Intel box or a Coral after installing it. Runs beside the line
 * (it loads its own small twin model; the active model is not touched).
 */
@Component(service = SelfTestCommand.class, property = {
        "osgi.command.scope=inspect",
        "osgi.command.function=selftest"})
public class SelfTestCommand {

    private final Map<InferenceBackend, Map<String, Object>> backends = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addBackend(InferenceBackend backend, Map<String, Object> properties) {
        backends.put(backend, properties);
    }

    void removeBackend(InferenceBackend backend) {
        backends.remove(backend);
    }

    @Descriptor("run the backend conformance suite on every installed backend (unavailable ones are listed with "
            + "the reason) and print which passed")
    public String selftest() {
        return selftest(null);
    }

    @Descriptor("run the backend conformance suite on one backend")
    public String selftest(@Descriptor("backend id, e.g. onnxruntime-cpu") String backendId) {
        List<ConformanceReport> reports = SelfTest.run(SelfTest.choose(backends, backendId));
        return SelfTest.format(reports);
    }
}
