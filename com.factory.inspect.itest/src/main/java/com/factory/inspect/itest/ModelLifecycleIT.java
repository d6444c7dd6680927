package com.factory.inspect.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.camera.FrameSource;
import com.factory.inspect.api.decision.InspectionResult;
import com.factory.inspect.api.decision.Outcome;
import com.factory.inspect.api.gate.InspectionService;
import com.factory.inspect.api.gate.ModelControl;
import com.factory.inspect.api.gate.ModelStatus;
import com.factory.inspect.api.inference.InferenceBackend;
import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.TensorLayout;
import com.factory.inspect.models.descriptor.ModelJar;
import com.factory.inspect.models.descriptor.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/** Models and backends come and go as bundles while the line runs. */
@ExtendWith(ServiceExtension.class)
class ModelLifecycleIT {
    private static final String DEMO = "surface-demo";

    @InjectService(timeout = 30_000)
    ConfigurationAdmin configurationAdmin;

    @InjectService(timeout = 30_000)
    InspectionService gate;

    @InjectService(timeout = 30_000)
    ModelControl models;

    @InjectService(timeout = 30_000)
    CommandProcessor shell;

    @InjectService(timeout = 30_000, filter = "(inspect.model.name=surface-demo)")
    ModelSource demo;

    /** The demo model's file, packaged again as another version. */
    private byte[] demoAs(String version) throws Exception {
        ModelDescriptor d = demo.descriptor();
        ModelDescriptor other = new ModelDescriptor(d.name(), version, d.format(), d.file(), d.inputShape(),
                d.inputLayout(), d.preprocessing(), d.outputLabels(), d.defectIndex(), d.threshold(), d.sha256());
        return ModelJar.toBytes(other, demo.readModel(), "itest.model.surface-demo");
    }

    private Bundle install(byte[] jar, String location) throws Exception {
        Bundle b = FrameworkBundles.context().installBundle(location, new ByteArrayInputStream(jar));
        b.start();
        return b;
    }

    @Test
    void fiftySwapsUnderLoadLoseNoFrame() throws Exception {
        Bundle nextVersion = install(demoAs("2.1.0"), "itest:surface-demo-2.1.0");
        try (Line line = new Line(configurationAdmin, gate)) {
            line.configureGate(Map.of("defect.log.dir", "", "summary.interval.s", 0, "model.name", DEMO,
                    "model.version", "2.0.0"));
            line.awaitModelActive();
            Map<String, FrameSource> sources = new HashMap<>();
            for (int i = 1; i <= 12; i++) {
                line.syntheticCamera(String.format("swap%02d", i), 5, 0.1, i);
            }
            Line.await(() -> gate.cameras().size() == 12, 15_000, () -> "cameras: " + gate.cameras());
            for (int swap = 0; swap < 50; swap++) {
                String version = swap % 2 == 0 ? "2.1.0" : "2.0.0";
                line.configureGate(Map.of("model.version", version));
                Line.await(() -> version.equals(gate.status().modelVersion()), 30_000,
                        () -> "switch to " + version + ": " + gate.status().modelState());
            }
            for (int i = 1; i <= 12; i++) {
                String id = String.format("swap%02d", i);
                sources.put(id, line.service(FrameSource.class, "(" + FrameSource.PROPERTY_CAMERA_ID + "=" + id + ")"));
            }
            line.close();

            long failSafes = 0;
            long total = 0;
            Set<String> versions = new HashSet<>();
            for (Map.Entry<String, FrameSource> e : sources.entrySet()) {
                long delivered = e.getValue().health().framesDelivered();
                List<InspectionResult> results = line.resultsOf(e.getKey());
                assertEquals(delivered, results.size(), e.getKey() + ": one result per delivered frame");
                assertEquals(delivered, results.stream().mapToLong(InspectionResult::sequence).distinct().count(),
                        e.getKey() + ": no frame twice");
                total += delivered;
                for (InspectionResult r : results) {
                    if (r.outcome() == Outcome.DECIDED) {
                        versions.add(r.modelVersion());
                    } else {
                        failSafes++;
                    }
                }
            }
            System.out.printf(Locale.ROOT, "50 swaps under 12 cameras x 5 fps: %d frames, %d fail-safe results%n",
                    total, failSafes);
            assertEquals(Set.of("2.0.0", "2.1.0"), versions, "results name the version that decided them");
            assertTrue(failSafes <= total / 10, "fail-safes " + failSafes + " of " + total);
            assertEquals(2, models.history().size(), "both versions were active: " + models.history());
        } finally {
            nextVersion.uninstall();
        }
    }

    @Test
    void useAndRollbackSwitchTheLineFromTheShell() throws Exception {
        Bundle nextVersion = install(demoAs("2.1.0"), "itest:surface-demo-2.1.0-shell");
        try (Line line = new Line(configurationAdmin, gate)) {
            line.configureGate(Map.of("defect.log.dir", "", "summary.interval.s", 0, "model.name", DEMO,
                    "model.version", "2.0.0"));
            line.awaitModelActive();
            line.syntheticCamera("shell-swap", 10, 0.1, 1);
            assertTrue(run("inspect:use surface-demo 2.1.0").contains("line switched to surface-demo 2.1.0"));
            assertEquals("2.1.0", gate.status().modelVersion());
            String list = run("inspect:models");
            assertTrue(list.matches("(?s).*surface-demo\\s+2\\.1\\.0\\s+onnx\\s+ACTIVE\\s+onnxruntime-cpu.*"), list);
            assertTrue(list.matches("(?s).*surface-demo\\s+2\\.0\\.0\\s+onnx\\s+VERIFIED.*"), list);
            assertTrue(list.contains("previously active: surface-demo:2.0.0"), list);
            assertTrue(run("inspect:rollback").contains("line switched to surface-demo 2.0.0"));
            assertEquals("2.0.0", gate.status().modelVersion());
            Exception e = assertThrows(Exception.class, () -> run("inspect:use surface-demo 9.9.9"));
            assertTrue(e.getMessage().contains("is not installed"), e.getMessage());
            long before = line.count("shell-swap");
            Line.await(() -> line.count("shell-swap") > before + 5, 10_000, () -> "the line stopped");
        } finally {
            nextVersion.uninstall();
        }
    }

    @Test
    void losingTheActiveBackendMovesTheLineToAnother() throws Exception {
        ServiceRegistration<InferenceBackend> second = FrameworkBundles.context().registerService(
                InferenceBackend.class, new SecondCpuBackend(),
                new Hashtable<>(Map.of(InferenceBackend.PROPERTY_ID, SecondCpuBackend.ID)));
        Bundle product = FrameworkBundles.bySymbolicName("com.factory.inspect.backend.onnxruntime");
        String location = product.getLocation();
        try (Line line = new Line(configurationAdmin, gate)) {
            line.configureGate(Map.of("defect.log.dir", "", "summary.interval.s", 0));
            line.awaitModelActive();
            assertEquals("onnxruntime-cpu", gate.status().backendId());
            line.syntheticCamera("backend-a", 10, 0.1, 1);
            line.syntheticCamera("backend-b", 10, 0.1, 2);
            Line.await(() -> line.results.size() >= 20, 15_000, () -> "no results");

            product.uninstall();
            Line.await(() -> SecondCpuBackend.ID.equals(gate.status().backendId()), 30_000,
                    () -> "not moved: " + gate.status().modelState());
            long mark = line.results.size();
            Line.await(() -> line.results.size() >= mark + 20, 15_000, () -> "the line stopped");
            assertTrue(line.results.stream().skip(mark).anyMatch(r -> r.backendId().equals(SecondCpuBackend.ID)));

            product = FrameworkBundles.context().installBundle(location);
            product.start();
            Line.await(() -> "onnxruntime-cpu".equals(gate.status().backendId()), 30_000,
                    () -> "not back on the higher-ranked backend: " + gate.status().modelState());
            FrameSource a = line.service(FrameSource.class, "(" + FrameSource.PROPERTY_CAMERA_ID + "=backend-a)");
            line.close();
            assertEquals(a.health().framesDelivered(), line.count("backend-a"), "every frame decided");
        } finally {
            if (product.getState() == Bundle.UNINSTALLED) {
                FrameworkBundles.context().installBundle(location).start();
            }
            second.unregister();
        }
    }

    @Test
    void badModelsAreRefusedWithTheReasonAndTheLineKeepsItsModel() throws Exception {
        Path dir = Files.createTempDirectory("bad-models");
        ModelDescriptor d = demo.descriptor();
        // Corrupt: bytes that are not ONNX, with a matching checksum (so only the runtime can tell).
        byte[] garbage = "this is not an onnx graph".getBytes(StandardCharsets.UTF_8);
        Path corrupt = write(dir, "corrupt.jar", ModelJar.toBytes(with(d, "corrupt", d.inputShape(),
                d.preprocessing(), Sha256.hex(garbage)), garbage, "itest.model.corrupt"));
        // Wrong shape: the real model described as a 3-channel one.
        Preprocessing rgb = new Preprocessing(ColourOrder.RGB, d.preprocessing().resize(), d.preprocessing().scale(),
                List.of(0.5, 0.5, 0.5), List.of(0.25, 0.25, 0.25));
        Path shape = write(dir, "shape.jar", ModelJar.toBytes(with(d, "wrong-shape", List.of(-1, 3, 224, 224), rgb,
                d.sha256()), demo.readModel(), "itest.model.shape"));
        // Wrong checksum: a jar whose model file was changed after packaging.
        byte[] tamperedJar = replaceModel(ModelJar.toBytes(with(d, "tampered", d.inputShape(), d.preprocessing(),
                d.sha256()), demo.readModel(), "itest.model.tampered"), "model/tampered.onnx", garbage);
        Path tampered = write(dir, "tampered.jar", tamperedJar);
        // Not a model: a plain bundle.
        Path plain = write(dir, "plain.jar", plainBundle());

        try (Line line = new Line(configurationAdmin, gate)) {
            line.configureGate(Map.of("defect.log.dir", "", "summary.interval.s", 0));
            line.awaitModelActive();
            line.syntheticCamera("bad-models", 10, 0.1, 1);
            assertRefused(corrupt, "MODEL_INVALID", "corrupt");
            assertRefused(shape, "SHAPE_MISMATCH", "wrong-shape");
            assertRefused(tampered, "CHECKSUM_MISMATCH", "tampered");
            assertRefused(plain, "is not a model bundle", "itest.plain");
            assertEquals(DEMO, gate.status().modelName(), "the line keeps its model");

            // Installed without the deploy check (e.g. dropped in by hand): rejected, line unaffected.
            line.configureGate(Map.of("model.name", "tampered"));
            Bundle b = install(tamperedJar, "itest:tampered");
            try {
                Line.await(() -> models.models().stream().anyMatch(m -> m.name().equals("tampered")
                        && m.state() == ModelStatus.State.REJECTED), 15_000, () -> "not rejected: " + models.models());
                assertEquals(DEMO, gate.status().modelName());
                assertTrue(gate.status().modelState().contains("CHECKSUM_MISMATCH"), gate.status().modelState());
                long mark = line.count("bad-models");
                Line.await(() -> line.count("bad-models") >= mark + 10, 10_000, () -> "the line stopped");
                assertTrue(line.resultsOf("bad-models").stream().skip(mark)
                        .allMatch(r -> r.outcome() != Outcome.DECIDED || r.modelName().equals(DEMO)));
            } finally {
                b.uninstall();
            }
        }
    }

    private void assertRefused(Path jar, String reason, String names) throws Exception {
        Exception e = assertThrows(Exception.class, () -> run("inspect:deploy " + jar));
        assertTrue(e.getMessage().startsWith("not deployed"), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(e.getMessage().contains(names), "names the model or bundle: " + e.getMessage());
        assertTrue(FrameworkBundles.context().getServiceReferences(ModelSource.class,
                "(inspect.model.name=" + names + ")").isEmpty(), "nothing installed");
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.io.PrintStream print = new java.io.PrintStream(out, true, StandardCharsets.UTF_8);
        try (CommandSession session = shell.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            Object result = session.execute(command);
            return result == null ? out.toString(StandardCharsets.UTF_8) : result.toString();
        }
    }

    private static ModelDescriptor with(ModelDescriptor d, String name, List<Integer> shape, Preprocessing pre,
            String sha256) {
        return new ModelDescriptor(name, "1.0.0", d.format(), "model/" + name + ".onnx", shape, TensorLayout.NCHW,
                pre, d.outputLabels(), d.defectIndex(), d.threshold(), sha256);
    }

    private static Path write(Path dir, String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] replaceModel(byte[] jar, String entry, byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(new ByteArrayInputStream(jar));
                JarOutputStream rewritten = new JarOutputStream(out, in.getManifest())) {
            for (java.util.jar.JarEntry e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
                byte[] bytes = e.getName().equals(entry) ? content : in.readAllBytes();
                rewritten.putNextEntry(new java.util.jar.JarEntry(e.getName()));
                rewritten.write(bytes);
                rewritten.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private static byte[] plainBundle() throws Exception {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "itest.plain");
        a.putValue("Bundle-Version", "1.0.0");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JarOutputStream(out, m).close();
        return out.toByteArray();
    }
}
