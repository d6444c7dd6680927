package com.factory.inspect.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.factory.inspect.api.gate.ModelControl;
import com.factory.inspect.api.gate.ModelStatus;
import com.factory.inspect.api.gate.Verification;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.inference.TensorSpec;
import com.factory.inspect.api.model.ColourOrder;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelFormat;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.api.model.Preprocessing;
import com.factory.inspect.api.model.ResizeMethod;
import com.factory.inspect.api.model.TensorLayout;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelEvaluationTest {
    @TempDir
    Path folder;

    /** p(defect) = mean grey level / 255 of the 8x8 input: bright parts are "defects". */
    private static final ModelDescriptor MEAN = new ModelDescriptor("mean", "1.0.0", ModelFormat.ONNX, "m.onnx",
            List.of(1, 1, 8, 8), TensorLayout.NCHW, new Preprocessing(ColourOrder.MONO, ResizeMethod.BILINEAR,
                    1 / 255.0, List.of(0.0), List.of(1.0)), List.of("good", "defect"), 1, 0.5, "0".repeat(64));

    private final ModelSource source = new ModelSource() {
        @Override
        public ModelDescriptor descriptor() {
            return MEAN;
        }

        @Override
        public byte[] readModel() {
            return new byte[0];
        }

        @Override
        public String origin() {
            return "test";
        }
    };

    private final ModelControl control = new ModelControl() {
        @Override
        public List<ModelStatus> models() {
            return List.of();
        }

        @Override
        public List<String> history() {
            return List.of();
        }

        @Override
        public Verification verify(ModelSource model) {
            return new Verification(true, "mean:1.0.0", "mean-backend", 0, "");
        }

        @Override
        public LoadedModel load(ModelSource model) {
            return new LoadedModel() {
                @Override
                public ModelDescriptor descriptor() {
                    return MEAN;
                }

                @Override
                public String backendId() {
                    return "mean-backend";
                }

                @Override
                public TensorSpec inputSpec() {
                    return new TensorSpec("image", "float32", List.of(1L, 1L, 8L, 8L));
                }

                @Override
                public TensorSpec outputSpec() {
                    return new TensorSpec("p", "float32", List.of(1L, 2L));
                }

                @Override
                public void infer(int batchSize, FloatBuffer input, FloatBuffer output) {
                    float sum = 0;
                    for (int i = 0; i < 64; i++) {
                        sum += input.get(input.position() + i);
                    }
                    output.put(1 - sum / 64).put(sum / 64);
                }

                @Override
                public void close() {
                }
            };
        }
    };

    private void image(String name, int grey) throws Exception {
        BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 24; y++) {
            for (int x = 0; x < 32; x++) {
                image.getRaster().setSample(x, y, 0, grey);
            }
        }
        ImageIO.write(image, "png", folder.resolve(name).toFile());
    }

    @Test
    void scoresLabelledImagesWithTheLoopsDecisionRule() throws Exception {
        image("a.png", 20);   // good, passes
        image("b.png", 230);  // defect, rejected
        image("c.png", 200);  // good, rejected: a false reject
        image("d.png", 60);   // defect, passed: a missed defect
        image("e.png", 250);  // defect, rejected
        Files.writeString(folder.resolve("broken.png"), "not a png");
        Files.writeString(folder.resolve("labels.csv"), "image,label\na.png,0\nb.png,1\nc.png,0\nd.png,1\ne.png,1\n");

        EvaluationReport r = ModelEvaluation.run(control, source, folder, null, -1);

        assertEquals(5, r.results().size());
        assertEquals(1, r.skipped().size());
        assertTrue(r.skipped().get(0).startsWith("broken.png"), r.skipped().toString());
        assertEquals(0.5, r.threshold(), "the model's own threshold");
        assertEquals(5, r.labelled());
        assertEquals(2, r.truePositives());
        assertEquals(1, r.missedDefects());
        assertEquals(1, r.falseRejects());
        assertEquals(0.6, r.accuracy(), 1e-9);
        assertEquals(2.0 / 3, r.defectRecall(), 1e-9);
        assertEquals(2.0 / 3, r.defectPrecision(), 1e-9);
        String csv = r.csv();
        assertTrue(csv.startsWith("image,p_defect,decision,label\na.png,0.078431,pass,0\n"), csv);
        assertTrue(csv.contains("c.png,0.78431") && csv.contains(",reject,0\nd.png"), csv);
        assertTrue(r.summary().contains("accuracy 0.6000, defect recall 0.6667"), r.summary());
    }

    @Test
    void worksWithoutLabelsAndWithAnExplicitThreshold() throws Exception {
        image("a.png", 100);
        EvaluationReport r = ModelEvaluation.run(control, source, folder, null, 0.3);
        assertEquals("image,p_defect,decision\na.png,0.392157,reject\n", r.csv());
        assertEquals(0, r.labelled());
        assertTrue(!r.summary().contains("accuracy"), r.summary());
    }

    @Test
    void aMissingFolderIsAClearError() {
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> ModelEvaluation.run(control, source, folder.resolve("nope"), null, -1));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
