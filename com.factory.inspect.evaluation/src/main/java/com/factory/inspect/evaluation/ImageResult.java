package com.factory.inspect.evaluation;

import com.factory.inspect.api.camera.GroundTruth;
import com.factory.inspect.api.decision.Verdict;
import java.util.Objects;

/**
 * What the model made of one image.
 *
 * @param image file name
 * @param defectProbability the model's p(defect)
 * @param decision the verdict at the evaluation's threshold
 * @param truth the label, {@link GroundTruth#UNKNOWN} without labels
 * @param nanos preprocessing + inference time
 */
public record ImageResult(String image, double defectProbability, Verdict decision, GroundTruth truth, long nanos) {
    public ImageResult {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(truth, "truth");
    }
}
