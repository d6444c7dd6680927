package com.factory.inspect.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EngineKeyTest {
    private static final String SHA = "a".repeat(64);
    private static final EngineKey KEY = new EngineKey("surface-defects", "1.2.0", SHA, "10.3.0", "Orin", "sm_87",
            Precision.FP16, new BatchProfile(1, 1, 8));

    @Test
    void sameInputsGiveTheSameKeyHashAndFile() {
        EngineKey again = new EngineKey("surface-defects", "1.2.0", SHA, "10.3.0", "Orin", "sm_87", Precision.FP16,
                new BatchProfile(1, 1, 8));
        assertEquals(KEY.canonical(), again.canonical());
        assertEquals(KEY.hash(), again.hash());
        assertEquals(KEY.fileName(), again.fileName());
    }

    @Test
    void everyPartOfTheKeyChangesHashAndFileName() {
        List<UnaryOperator<EngineKey>> changes = List.of(
                k -> new EngineKey(k.modelName(), k.modelVersion(), "b".repeat(64), k.tensorRtVersion(), k.gpuName(),
                        k.gpuArchitecture(), k.precision(), k.profile()),
                k -> new EngineKey(k.modelName(), k.modelVersion(), k.modelSha256(), "10.3.1", k.gpuName(),
                        k.gpuArchitecture(), k.precision(), k.profile()),
                k -> new EngineKey(k.modelName(), k.modelVersion(), k.modelSha256(), k.tensorRtVersion(), "Xavier",
                        k.gpuArchitecture(), k.precision(), k.profile()),
                k -> new EngineKey(k.modelName(), k.modelVersion(), k.modelSha256(), k.tensorRtVersion(), k.gpuName(),
                        "sm_72", k.precision(), k.profile()),
                k -> new EngineKey(k.modelName(), k.modelVersion(), k.modelSha256(), k.tensorRtVersion(), k.gpuName(),
                        k.gpuArchitecture(), Precision.FP32, k.profile()),
                k -> new EngineKey(k.modelName(), k.modelVersion(), k.modelSha256(), k.tensorRtVersion(), k.gpuName(),
                        k.gpuArchitecture(), k.precision(), new BatchProfile(1, 4, 8)),
                k -> new EngineKey(k.modelName(), k.modelVersion(), k.modelSha256(), k.tensorRtVersion(), k.gpuName(),
                        k.gpuArchitecture(), k.precision(), new BatchProfile(1, 1, 16)));
        Set<String> hashes = changes.stream().map(c -> c.apply(KEY).hash()).collect(Collectors.toSet());
        assertEquals(changes.size(), hashes.size(), "each change gives its own key");
        assertTrue(!hashes.contains(KEY.hash()));
        for (UnaryOperator<EngineKey> change : changes) {
            assertNotEquals(KEY.fileName(), change.apply(KEY).fileName());
        }
    }

    @Test
    void modelNameAndVersionOnlyNameTheFile() {
        EngineKey renamed = new EngineKey("bolts", "2.0.0", SHA, "10.3.0", "Orin", "sm_87", Precision.FP16,
                new BatchProfile(1, 1, 8));
        assertEquals(KEY.hash(), renamed.hash(), "the same model bytes make the same engine");
        assertNotEquals(KEY.fileName(), renamed.fileName());
    }

    @Test
    void theFileNameIsReadableAndCarriesTheHash() {
        assertEquals("surface-defects-1.2.0-" + KEY.hash().substring(0, 16) + ".engine", KEY.fileName());
    }

    @Test
    void unsafeCharactersNeverReachTheFileName() {
        EngineKey odd = new EngineKey("../../etc/pass wd", "1.0.0.beta/x", SHA, "10.3.0", "Orin", "sm_87",
                Precision.FP32, new BatchProfile(1, 1, 1));
        assertTrue(odd.fileName().matches("[A-Za-z0-9._-]+\\.engine"), odd.fileName());
        assertTrue(!odd.fileName().contains("/"));
    }

    @Test
    void theCanonicalFormListsEveryPart() {
        assertEquals(EngineKey.HEADER + "\nmodel.sha256=" + SHA + "\ntensorrt=10.3.0\ngpu=Orin\ngpu.architecture=sm_87\n"
                + "precision=FP16\nbatch.profile=1/1/8\n", KEY.canonical());
    }
}
