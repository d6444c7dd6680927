package com.factory.inspect.shell;

import com.factory.inspect.api.gate.InspectionService;
import com.factory.inspect.api.gate.ModelControl;
import com.factory.inspect.api.gate.ModelStatus;
import com.factory.inspect.api.gate.Verification;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.models.descriptor.DescriptorException;
import com.factory.inspect.models.descriptor.ModelJar;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Version;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@code inspect:} commands that manage models: list, switch, roll back, deploy. */
@Component(service = ModelCommands.class, property = {
        "osgi.command.scope=inspect",
        "osgi.command.function=models",
        "osgi.command.function=use",
        "osgi.command.function=rollback",
        "osgi.command.function=deploy"})
public class ModelCommands {
    private static final long SWITCH_WAIT_MILLIS = 60_000;

    @Reference
    private ModelControl models;

    @Reference
    private InspectionService gate;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    @Descriptor("list installed models: version, state (ACTIVE, VERIFIED, NOT_VERIFIED, REJECTED), backend, origin")
    public String models() {
        TextTable t = new TextTable("MODEL", "VERSION", "FORMAT", "STATE", "BACKEND", "ORIGIN", "DETAIL");
        for (ModelStatus m : models.models()) {
            t.row(m.name(), m.version(), m.format(), m.state(), m.backendId(), m.origin(), m.detail());
        }
        List<String> history = models.history();
        return t + (history.isEmpty() ? "" : "previously active: " + String.join(", ", history) + "\n");
    }

    @Descriptor("switch the line to the highest installed version of a model; the switch waits until it is loaded "
            + "and warmed up")
    public String use(@Descriptor("model name") String name) throws Exception {
        return switchTo(name, null);
    }

    @Descriptor("switch the line to a model version; the switch waits until it is loaded and warmed up")
    public String use(@Descriptor("model name") String name, @Descriptor("model version") String version)
            throws Exception {
        return switchTo(name, version);
    }

    @Descriptor("switch back to the model that was active before the current one")
    public String rollback() throws Exception {
        List<String> history = models.history();
        if (history.isEmpty()) {
            throw new IllegalStateException("no model was active before the current one");
        }
        String[] previous = history.get(0).split(":", 2);
        return switchTo(previous[0], previous[1]);
    }

    @Descriptor("verify a model bundle (checksum, format, shapes, warm-up on the backend the line would use), "
            + "then install it; an unverified model is never installed")
    public String deploy(@Descriptor("path or URL of the model bundle jar") String location) throws Exception {
        byte[] jar = read(location);
        List<ModelSource> carried;
        try {
            carried = ModelJar.read(jar, location);
        } catch (DescriptorException e) {
            throw new IllegalArgumentException("not deployed: " + e.getMessage());
        }
        StringBuilder report = new StringBuilder();
        for (ModelSource model : carried) {
            Verification v = models.verify(model);
            if (!v.passed()) {
                throw new IllegalArgumentException("not deployed: " + v.model() + " failed verification: "
                        + v.detail());
            }
            report.append("verified ").append(v.model()).append(" on ").append(v.backendId()).append(" in ")
                    .append(v.loadMillis()).append(" ms\n");
        }
        Manifest manifest = new JarInputStream(new ByteArrayInputStream(jar)).getManifest();
        String symbolicName = manifest.getMainAttributes().getValue("Bundle-SymbolicName").split(";")[0].trim();
        Version version = Version.parseVersion(manifest.getMainAttributes().getValue("Bundle-Version"));
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName()) && version.equals(b.getVersion())) {
                throw new IllegalArgumentException("not deployed: " + symbolicName + " " + version
                        + " is already installed as bundle " + b.getBundleId());
            }
        }
        Bundle bundle;
        try (InputStream in = new ByteArrayInputStream(jar)) {
            bundle = context.installBundle("model:" + symbolicName + "/" + version, in);
        }
        try {
            bundle.start();
        } catch (BundleException e) {
            bundle.uninstall();
            throw new IllegalArgumentException("not deployed: " + symbolicName + " " + version + " did not start: "
                    + e.getMessage());
        }
        return report.append("installed bundle ").append(bundle.getBundleId()).append(' ').append(symbolicName)
                .append(' ').append(version).append("; the line runs it if it is the configured model's highest "
                        + "version (see inspect:models, inspect:use)\n").toString();
    }

    private String switchTo(String name, String version) throws Exception {
        Optional<ModelStatus> target = models.models().stream()
                .filter(m -> m.name().equals(name)
                        && (version == null || ModelDescriptor.sameVersion(m.version(), version)))
                .findFirst();
        if (target.isEmpty()) {
            throw new IllegalArgumentException("model " + name + (version == null ? "" : " " + version)
                    + " is not installed; installed: " + installed());
        }
        if (target.get().state() == ModelStatus.State.REJECTED) {
            throw new IllegalArgumentException(target.get().coordinates() + " was rejected: " + target.get().detail());
        }
        Map<String, Object> values = new HashMap<>();
        values.put("model.name", name);
        values.put("model.version", version == null ? "" : version);
        GateConfiguration.update(configurationAdmin, values);
        String wanted = target.get().version();
        long end = System.currentTimeMillis() + SWITCH_WAIT_MILLIS;
        while (System.currentTimeMillis() < end) {
            if (name.equals(gate.status().modelName()) && wanted.equals(gate.status().modelVersion())) {
                return "line switched to " + name + " " + wanted + " on " + gate.status().backendId() + "\n";
            }
            Thread.sleep(50);
        }
        return "configured " + name + " " + wanted + "; not active yet: " + gate.status().modelState() + "\n";
    }

    private String installed() {
        List<String> list = new ArrayList<>();
        for (ModelStatus m : models.models()) {
            list.add(m.coordinates());
        }
        return list.toString();
    }

    private static byte[] read(String location) throws IOException {
        Path path = Path.of(location);
        if (Files.isRegularFile(path)) {
            return Files.readAllBytes(path);
        }
        if (!location.contains(":/")) {
            throw new IllegalArgumentException("not deployed: no file " + path.toAbsolutePath());
        }
        URL url = URI.create(location).toURL();
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        }
    }
}
