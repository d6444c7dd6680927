package com.factory.inspect.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.gate.ModelControl;
import com.factory.inspect.api.gate.Verification;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.camera.dataset.DatasetWriter;
import com.factory.inspect.evaluation.EvaluationReport;
import com.factory.inspect.evaluation.ModelEvaluation;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

/**
 * The committed demo model, as installed: it passes the gate's verification and still scores what its
 * bundle says it scored on the same generated check set (a different result means the model, the
 * preprocessing, the backend or the synthetic camera changed).
 */
@ExtendWith(ServiceExtension.class)
class DemoModelIT {

    /** Where the demo model bundle records its measured scores. */
    static final String EVALUATION = "model/surface-demo.evaluation.properties";

    @InjectService(timeout = 30_000)
    ModelControl models;

    @InjectService(timeout = 30_000, filter = "(inspect.model.name=surface-demo)")
    ModelSource demo;

    @TempDir
    Path temp;

    @Test
    void demoModelPassesVerificationAndScoresItsRecordedAccuracy() throws Exception {
        Verification verification = models.verify(demo);
        assertTrue(verification.passed(), verification.detail());

        URL entry = FrameworkBundles.bySymbolicName("com.factory.inspect.model.demo").getEntry(EVALUATION);
        assertNotNull(entry, "the demo model bundle carries " + EVALUATION);
        Properties recorded = new Properties();
        try (InputStream in = entry.openStream()) {
            recorded.load(in);
        }
        assertEquals(demo.descriptor().version(), recorded.getProperty("model.version"),
                "the recorded scores belong to this version of the model");

        Path images = temp.resolve("check");
        DatasetWriter.write(images, Integer.parseInt(recorded.getProperty("check.count")),
                Long.parseLong(recorded.getProperty("check.seed")), 640, 480,
                Double.parseDouble(recorded.getProperty("check.defect-rate")), DatasetWriter.ALL_TYPES);
        EvaluationReport report = ModelEvaluation.run(models, demo, images, null, -1);

        double expected = Double.parseDouble(recorded.getProperty("check.accuracy"));
        assertEquals(Integer.parseInt(recorded.getProperty("check.count")), report.labelled(), report.summary());
        assertEquals(expected, report.accuracy(), 0.01, report.summary());
    }
}
