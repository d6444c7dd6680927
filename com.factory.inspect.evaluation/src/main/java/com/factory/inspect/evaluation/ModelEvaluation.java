package com.factory.inspect.evaluation;

import com.factory.inspect.api.camera.Frame;
import com.factory.inspect.api.decision.Verdict;
import com.factory.inspect.api.gate.ModelControl;
import com.factory.inspect.api.inference.InferenceException;
import com.factory.inspect.api.inference.LoadedModel;
import com.factory.inspect.api.model.ModelDescriptor;
import com.factory.inspect.api.model.ModelSource;
import com.factory.inspect.camera.images.ImageFiles;
import com.factory.inspect.camera.images.Labels;
import com.factory.inspect.camera.images.RasterImage;
import com.factory.inspect.gate.pipeline.FrameInference;
import com.factory.inspect.gate.pipeline.Preprocessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs a model over a folder of images the way the live loop would: the backend the gate would
 * choose (loaded, checked and warmed up by the gate), the loop's own preprocessing and inference
 * ({@link FrameInference}) and decision rule ({@link Verdict#of}).
 */
public final class ModelEvaluation {

    private ModelEvaluation() {
    }

    /**
     * Evaluates {@code model} on every image in {@code folder}, in name order.
     *
     * @param labels a labels CSV ({@code image,label}, 0 good / 1 defect), or null to use the
     *        folder's {@code labels.csv} if it has one
     * @param threshold the decision threshold, or a negative value for the model's own
     * @throws InferenceException if no backend can load the model
     * @throws IOException if the folder cannot be listed
     */
    public static EvaluationReport run(ModelControl control, ModelSource model, Path folder, Path labels,
            double threshold) throws InferenceException, IOException {
        if (!Files.isDirectory(folder)) {
            throw new IOException("image folder " + folder.toAbsolutePath() + " does not exist");
        }
        if (labels != null && !Files.isRegularFile(labels)) {
            throw new IOException("labels file " + labels.toAbsolutePath() + " does not exist");
        }
        Labels truth = labels == null ? Labels.read(folder) : Labels.readFile(labels);
        ModelDescriptor d = model.descriptor();
        double t = threshold < 0 ? d.threshold() : threshold;
        List<Path> images;
        try (Stream<Path> files = Files.list(folder)) {
            images = files.filter(p -> Files.isRegularFile(p) && ImageFiles.isImage(p)).sorted().toList();
        }
        List<ImageResult> results = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Preprocessor preprocessor = new Preprocessor(d);
        FrameInference inference = new FrameInference();
        try (LoadedModel loaded = control.load(model)) {
            int outputLength = (int) Math.max(loaded.outputSpec().elementsPerItem(), d.outputLabels().size());
            long sequence = 0;
            for (Path image : images) {
                String name = image.getFileName().toString();
                RasterImage raster;
                try {
                    raster = ImageFiles.read(image);
                } catch (IOException | RuntimeException e) {
                    skipped.add(name + ": " + e.getMessage());
                    continue;
                }
                Labels.Label label = truth.of(name);
                Frame frame = raster.toFrame("evaluation", sequence++, System.nanoTime(), label.truth(),
                        label.annotation());
                long start = System.nanoTime();
                double p = inference.defectProbability(frame, preprocessor, loaded, outputLength);
                results.add(new ImageResult(name, p, Verdict.of(p, t), label.truth(), System.nanoTime() - start));
            }
            return new EvaluationReport(d.coordinates(), loaded.backendId(), t, results, skipped);
        }
    }
}
